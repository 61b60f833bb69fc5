package org.memorag.rag.retrieve;

import java.io.Serializable;

/**
 * How texts go through the encoder (BEACON_SPEC.md §1.9): batching, truncation in encoder
 * tokens for documents (512) and queries (128), an optional instruction put in front of every
 * query, and how many encoder calls may run at once. Upstream accepts instructions and never
 * applies them (quirk Q18), so the default is none; BGE-en models were trained with
 * {@link #BGE_EN_QUERY_INSTRUCTION}.
 *
 * <p>Batches hold texts of similar length (longest first), at most {@code batchSize} texts and
 * at most {@code batchTokens} padded encoder tokens (estimated as one token per four chars,
 * capped at the max length). On a CPU, batches of long chunks cost more per chunk than one
 * chunk per call (measured in RetrievalBench with BGE-small on ONNX Runtime: 0.5-0.7x), while
 * short queries batch without loss; so the default budget of 512 tokens sends a full-length
 * chunk alone and up to 32 queries together. Upstream batches 500 documents per call on a GPU:
 * raise both limits there.
 *
 * @param batchSize         most texts per {@code Encoder.encode} call
 * @param batchTokens       most estimated padded tokens per call (texts x longest)
 * @param documentMaxTokens encoder tokens kept of each chunk
 * @param queryMaxTokens    encoder tokens kept of each query
 * @param queryInstruction  prepended to each query verbatim; "" for none
 * @param parallelism       encoder calls in flight at once (1 = the calling thread only; on a
 *                          Spark executor whose task slots already use every core keep 1)
 */
public record EmbedderConfig(int batchSize, int batchTokens, int documentMaxTokens,
        int queryMaxTokens, String queryInstruction, int parallelism) implements Serializable {
    public static final String BGE_EN_QUERY_INSTRUCTION =
            "Represent this sentence for searching relevant passages: ";
    public static final EmbedderConfig DEFAULT = new EmbedderConfig(32, 512, 512, 128, "", 1);

    public EmbedderConfig {
        if (batchSize <= 0 || batchTokens <= 0) {
            throw new IllegalArgumentException("embedder batch limits must be > 0, got batchSize "
                    + batchSize + ", batchTokens " + batchTokens);
        }
        if (documentMaxTokens <= 0 || queryMaxTokens <= 0) {
            throw new IllegalArgumentException("encoder max lengths must be > 0, got documents "
                    + documentMaxTokens + ", queries " + queryMaxTokens + " (MemoRAG: 512 / 128)");
        }
        if (queryInstruction == null) {
            throw new IllegalArgumentException("query instruction is null; use \"\" for none");
        }
        if (parallelism <= 0) {
            throw new IllegalArgumentException("embedder parallelism must be > 0, got "
                    + parallelism);
        }
    }

    public EmbedderConfig withBatchSize(int size) {
        return new EmbedderConfig(size, batchTokens, documentMaxTokens, queryMaxTokens,
                queryInstruction, parallelism);
    }

    public EmbedderConfig withBatchTokens(int tokens) {
        return new EmbedderConfig(batchSize, tokens, documentMaxTokens, queryMaxTokens,
                queryInstruction, parallelism);
    }

    public EmbedderConfig withQueryInstruction(String instruction) {
        return new EmbedderConfig(batchSize, batchTokens, documentMaxTokens, queryMaxTokens,
                instruction, parallelism);
    }

    public EmbedderConfig withParallelism(int threads) {
        return new EmbedderConfig(batchSize, batchTokens, documentMaxTokens, queryMaxTokens,
                queryInstruction, threads);
    }

    /** Rough encoder tokens of a text: a WordPiece token is ~4 chars of English text. */
    static int estimatedTokens(String text, int maxTokens) {
        return Math.min(maxTokens, text.length() / 4 + 2);
    }
}
