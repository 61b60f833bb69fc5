package org.memorag.rag.retrieve;

import java.util.List;
import java.util.Objects;
import org.memorag.rag.chunk.Chunk;

/**
 * Dense retrieval over one document, as {@code MemoRAG._retrieve} (BEACON_SPEC.md §1.9): embed
 * every query, search them all in one FAISS call for {@code hits} chunks each, and return the
 * union in document order with each chunk's best score.
 *
 * <p>Owns its {@link DocumentIndex} (close the retriever), not the embedder's encoder.
 */
public final class Retriever implements AutoCloseable {
    private final Embedder embedder;
    private final DocumentIndex index;
    private final int hits;

    private Retriever(Embedder embedder, DocumentIndex index, int hits) {
        this.embedder = embedder;
        this.index = index;
        this.hits = hits;
    }

    /** Embeds the chunks (document max length) and indexes them as {@code config} says. */
    public static Retriever build(List<Chunk> chunks, Embedder embedder, RetrievalConfig config) {
        Objects.requireNonNull(embedder, "embedder");
        Objects.requireNonNull(config, "config");
        if (chunks == null) {
            throw new IllegalArgumentException("chunk list is null");
        }
        float[][] vectors = embedder.embedDocuments(chunks.stream().map(Chunk::text).toList());
        DocumentIndex index = DocumentIndex.build(chunks, vectors, embedder.dimension(), config);
        return new Retriever(embedder, index, config.hits());
    }

    /** A retriever over a stored index; fails when it does not match the chunks or encoder. */
    public static Retriever restore(List<Chunk> chunks, byte[] indexBytes, Embedder embedder,
            RetrievalConfig config) {
        Objects.requireNonNull(embedder, "embedder");
        Objects.requireNonNull(config, "config");
        DocumentIndex index = DocumentIndex.restore(chunks, indexBytes, embedder.dimension());
        return new Retriever(embedder, index, config.hits());
    }

    /**
     * The evidence for {@code queries} (from {@link QueryPreparation}): at most
     * {@code hits * queries.size()} chunks, each once, ascending chunk id.
     */
    public List<Evidence> retrieve(List<String> queries) {
        if (queries == null || queries.isEmpty()) {
            throw new IllegalArgumentException("no retrieval queries; the memorag task always has"
                    + " the question, the summarize task at least one key point");
        }
        return index.search(embedder.embedQueries(queries), hits);
    }

    public DocumentIndex index() {
        return index;
    }

    public int hits() {
        return hits;
    }

    @Override
    public void close() {
        index.close();
    }
}
