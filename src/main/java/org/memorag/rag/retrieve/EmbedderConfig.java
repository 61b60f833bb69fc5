package org.memorag.rag.retrieve;

import java.io.Serializable;

/**
 * How texts go through the encoder (BEACON_SPEC.md §1.9): texts per encoder call, truncation
 * in encoder tokens for documents (512) and queries (128), and an optional instruction put in
 * front of every query. Upstream accepts instructions and never applies them (quirk Q18), so the
 * default is none; BGE-en models were trained with {@link #BGE_EN_QUERY_INSTRUCTION}.
 *
 * @param batchSize         texts per {@code Encoder.encode} call (upstream: 500 documents; on a
 *                          CPU 32 keeps padded activations small)
 * @param documentMaxTokens encoder tokens kept of each chunk
 * @param queryMaxTokens    encoder tokens kept of each query
 * @param queryInstruction  prepended to each query verbatim; "" for none
 */
public record EmbedderConfig(int batchSize, int documentMaxTokens, int queryMaxTokens,
        String queryInstruction) implements Serializable {
    public static final String BGE_EN_QUERY_INSTRUCTION =
            "Represent this sentence for searching relevant passages: ";
    public static final EmbedderConfig DEFAULT = new EmbedderConfig(32, 512, 128, "");

    public EmbedderConfig {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("embedder batch size must be > 0, got " + batchSize);
        }
        if (documentMaxTokens <= 0 || queryMaxTokens <= 0) {
            throw new IllegalArgumentException("encoder max lengths must be > 0, got documents "
                    + documentMaxTokens + ", queries " + queryMaxTokens + " (MemoRAG: 512 / 128)");
        }
        if (queryInstruction == null) {
            throw new IllegalArgumentException("query instruction is null; use \"\" for none");
        }
    }

    public EmbedderConfig withBatchSize(int size) {
        return new EmbedderConfig(size, documentMaxTokens, queryMaxTokens, queryInstruction);
    }

    public EmbedderConfig withQueryInstruction(String instruction) {
        return new EmbedderConfig(batchSize, documentMaxTokens, queryMaxTokens, instruction);
    }
}
