package org.memorag.rag.task;

import java.util.ArrayList;
import java.util.List;
import org.memorag.rag.artifact.ChunkRecord;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.chunk.Chunk;
import org.memorag.rag.retrieve.Embedder;
import org.memorag.rag.retrieve.Evidence;
import org.memorag.rag.retrieve.RetrievalConfig;
import org.memorag.rag.retrieve.Retriever;

/**
 * The pipeline's side of retrieval (BEACON_SPEC.md §1.9): builds a document's FAISS index at
 * memorize time and searches it at ask time through {@link Retriever}, moving between the
 * artifact's {@link ChunkRecord}s and retrieval's {@link Chunk}s. Thread-safe: every search
 * restores its own index from the document's bytes.
 */
public final class FaissRetrieval implements EvidenceSource {
    private final Embedder embedder;
    private final RetrievalConfig config;

    /** The embedder of chunks and queries. */
    public Embedder embedder() {
        return embedder;
    }

    public FaissRetrieval(Embedder embedder, RetrievalConfig config) {
        this.embedder = embedder;
        this.config = config;
    }

    /** Embeds the chunks and returns the serialized index (row i = chunk i). */
    public byte[] buildIndex(List<Chunk> chunks) {
        try (Retriever r = Retriever.build(chunks, embedder, config)) {
            return r.index().indexBytes();
        }
    }

    @Override
    public List<Evidence> retrieve(DocArtifacts doc, List<String> queries) {
        if (queries.isEmpty() || doc.chunks().isEmpty()) {
            return List.of();
        }
        List<Chunk> chunks = new ArrayList<>(doc.chunks().size());
        for (ChunkRecord c : doc.chunks()) {
            chunks.add(new Chunk(c.chunkId(), c.text(), c.charStart(), c.charEnd(), c.nTokens()));
        }
        try (Retriever r = Retriever.restore(chunks, doc.indexBytes(), embedder, config)) {
            return r.retrieve(queries);
        }
    }
}
