package org.memorag.rag.retrieve;

import java.util.List;
import java.util.Objects;
import org.memorag.rag.chunk.Chunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dense retrieval over one document, as {@code MemoRAG._retrieve} (BEACON_SPEC.md §1.9): embed
 * every query, search them all in one FAISS call for {@code hits} chunks each, and return the
 * union in document order with each chunk's best score.
 *
 * <p>Owns its {@link DocumentIndex} (close the retriever), not the embedder's encoder.
 */
public final class Retriever implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Retriever.class);
    private final Embedder embedder;
    private final DocumentIndex index;
    private final int hits;
    private final int truncatedChunks;

    private Retriever(Embedder embedder, DocumentIndex index, int hits, int truncatedChunks) {
        this.embedder = embedder;
        this.index = index;
        this.hits = hits;
        this.truncatedChunks = truncatedChunks;
    }

    /** Chunks embedded from their beginning only when this index was built; 0 when restored. */
    public int truncatedChunks() {
        return truncatedChunks;
    }

    /** Embeds the chunks (document max length) and indexes them as {@code config} says. */
    public static Retriever build(List<Chunk> chunks, Embedder embedder, RetrievalConfig config) {
        Objects.requireNonNull(embedder, "embedder");
        Objects.requireNonNull(config, "config");
        if (chunks == null) {
            throw new IllegalArgumentException("chunk list is null");
        }
        List<String> texts = chunks.stream().map(Chunk::text).toList();
        // a second tokenization of each chunk: ~1 ms against ~85 ms to embed it (RetrievalBench)
        int truncated = embedder.truncatedDocuments(texts);
        if (truncated > 0) {
            // upstream parity (Q19): keep the truncation, but say so, with the two ways out
            log.info("{} of {} chunks exceed embedder.doc_max_tokens={} encoder tokens and are"
                    + " embedded from their beginning only; raise embedder.doc_max_tokens (up to"
                    + " the encoder's maximum) or lower chunk.tokens.en/zh to embed all of them",
                    truncated, chunks.size(), embedder.config().documentMaxTokens());
        }
        float[][] vectors = embedder.embedDocuments(texts);
        DocumentIndex index = DocumentIndex.build(chunks, vectors, embedder.dimension(), config);
        return new Retriever(embedder, index, config.hits(), truncated);
    }

    /** A retriever over a stored index; fails when it does not match the chunks or encoder. */
    public static Retriever restore(List<Chunk> chunks, byte[] indexBytes, Embedder embedder,
            RetrievalConfig config) {
        Objects.requireNonNull(embedder, "embedder");
        Objects.requireNonNull(config, "config");
        DocumentIndex index = DocumentIndex.restore(chunks, indexBytes, embedder.dimension());
        return new Retriever(embedder, index, config.hits(), 0);
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
