package org.memorag.engine.encode;

/**
 * How one vector is taken from an encoder's last hidden states, as sentence-transformers'
 * 1_Pooling/config.json says: BGE models use the [CLS] state, others the mean over real tokens.
 */
public enum Pooling {
    /** The hidden state of the first token ([CLS] / &lt;s&gt;): pooling_mode_cls_token. */
    CLS,
    /** The mean of the hidden states where the attention mask is 1: pooling_mode_mean_tokens. */
    MEAN;

    /**
     * Pools row {@code b} of a [batch, seqLen, dim] hidden-state block (row-major) whose first
     * {@code length} positions are real tokens, and L2-normalises the result.
     */
    float[] pool(float[] hidden, int b, int seqLen, int dim, int length) {
        double[] v = new double[dim];
        int base = b * seqLen * dim;
        if (this == CLS) {
            for (int d = 0; d < dim; d++) {
                v[d] = hidden[base + d];
            }
        } else {
            for (int t = 0; t < length; t++) {
                int off = base + t * dim;
                for (int d = 0; d < dim; d++) {
                    v[d] += hidden[off + d];
                }
            }
            for (int d = 0; d < dim; d++) {
                v[d] /= Math.max(1, length);
            }
        }
        return normalise(v);
    }

    /** Row {@code row} of a [rows, dim] block, L2-normalised. */
    static float[] normaliseRow(float[] block, int row, int dim) {
        double[] v = new double[dim];
        for (int d = 0; d < dim; d++) {
            v[d] = block[row * dim + d];
        }
        return normalise(v);
    }

    /** v / max(||v||, 1e-12), as torch.nn.functional.normalize does. */
    static float[] normalise(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        double norm = Math.max(Math.sqrt(sum), 1e-12);
        float[] out = new float[v.length];
        for (int d = 0; d < v.length; d++) {
            out[d] = (float) (v[d] / norm);
        }
        return out;
    }
}
