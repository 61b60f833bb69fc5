package org.memorag.rag.task;

import java.util.ArrayList;
import java.util.List;
import org.memorag.index.FaissIndex;
import org.memorag.index.Metric;
import org.memorag.index.SearchResult;
import org.memorag.rag.artifact.ChunkRecord;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.chunk.Chunk;
import org.memorag.rag.retrieve.Embedder;
import org.memorag.rag.retrieve.Evidence;
import org.memorag.rag.retrieve.EvidenceMerge;

/**
 * Dense retrieval over one document (BEACON_SPEC.md §1.9): chunk embeddings in a FAISS
 * inner-product index (any {@code index_factory}, {@code Flat} by default), all queries embedded
 * in one batch, top {@code hits} per query, merged by {@link EvidenceMerge}. Thread-safe: every
 * search opens its own index from the document's bytes.
 */
public final class FaissRetrieval implements EvidenceSource {
    private final Embedder embedder;
    private final String indexFactory;
    private final int hits;

    public FaissRetrieval(Embedder embedder, String indexFactory, int hits) {
        if (hits <= 0) {
            throw new IllegalArgumentException("retrieve.hits must be > 0, got " + hits);
        }
        this.embedder = embedder;
        this.indexFactory = indexFactory;
        this.hits = hits;
    }

    /** Embeds the chunks and returns the serialized index (row i = chunk i). */
    public byte[] buildIndex(List<Chunk> chunks) {
        List<String> texts = new ArrayList<>(chunks.size());
        for (Chunk c : chunks) {
            texts.add(c.text());
        }
        float[][] vectors = embedder.embedDocuments(texts);
        try (FaissIndex index = FaissIndex.create(embedder.dimension(), indexFactory,
                Metric.IP)) {
            if (!index.isTrained()) {
                index.train(vectors);
            }
            index.add(vectors);
            return index.toBytes();
        }
    }

    @Override
    public List<Evidence> retrieve(DocArtifacts doc, List<String> queries) {
        if (queries.isEmpty() || doc.chunks().isEmpty()) {
            return List.of();
        }
        float[][] q = embedder.embedQueries(queries);
        SearchResult r;
        try (FaissIndex index = FaissIndex.fromBytes(doc.indexBytes())) {
            r = index.search(q, hits);
        }
        List<Chunk> chunks = new ArrayList<>(doc.chunks().size());
        for (ChunkRecord c : doc.chunks()) {
            chunks.add(new Chunk(c.chunkId(), c.text(), c.charStart(), c.charEnd(), c.nTokens()));
        }
        return EvidenceMerge.merge(r.ids(), r.scores(), chunks);
    }
}
