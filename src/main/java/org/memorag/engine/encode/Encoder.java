package org.memorag.engine.encode;

import java.util.List;

/**
 * A text embedding model (BGE family on ONNX Runtime or on the engine): what retrieval asks of
 * an encoder. Implementations are thread-safe once loaded, so concurrent Spark tasks share one.
 */
public interface Encoder extends AutoCloseable {
    /** Length of every embedding vector (384 for BGE-small, 1024 for BGE-M3). */
    int dimension();

    /**
     * Embeds each text, truncated to {@code maxTokens} encoder tokens (special tokens included),
     * pooled as the model prescribes (CLS for BGE) and L2-normalised, so inner product is cosine.
     *
     * @return one vector of {@link #dimension()} floats per text, in input order
     */
    float[][] encode(List<String> texts, int maxTokens);

    /**
     * Encoder tokens of the text before any truncation, special tokens included, so callers can
     * tell which texts {@link #encode} cut short; -1 when the encoder cannot say.
     */
    default int tokenCount(String text) {
        return -1;
    }

    /** Stable id of the weights and settings, for artifact versions (e.g. a sha256 prefix). */
    String fingerprint();

    @Override
    void close();
}
