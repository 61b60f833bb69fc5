package org.memorag.engine.encode;

import java.io.Serializable;
import java.util.Objects;

/**
 * Run-time settings of an encoder. Threads default to 1 per native pool: Spark runs one task per
 * core, and several multi-threaded pools per core fight (../shared/STACK_NOTES.md measured ~20%
 * faster BGE with 1 ONNX Runtime thread per task on 2 cores).
 *
 * @param pooling how a text's vector is taken from the hidden states
 * @param batchSize texts per forward pass (texts are sorted by length first, so little padding)
 * @param intraOpThreads ONNX Runtime intra-op threads (intraOpNumThreads)
 * @param interOpThreads ONNX Runtime inter-op threads (interOpNumThreads)
 * @param maxBatchCells upper bound on batch rows x longest row²: the attention scores of one head.
 *     Long texts go in small batches (down to one text), short ones in full batches: on CPU a
 *     batch of 260-token passages ran slower than one passage at a time once its score tensors
 *     outgrew the cache (EncoderBench)
 */
public record EncoderOptions(Pooling pooling, int batchSize, int intraOpThreads,
        int interOpThreads, int maxBatchCells) implements Serializable {
    public EncoderOptions {
        Objects.requireNonNull(pooling, "pooling");
        if (batchSize < 1) {
            throw new IllegalArgumentException("encoder batch size must be >= 1, got " + batchSize);
        }
        if (maxBatchCells < 1) {
            throw new IllegalArgumentException("encoder maxBatchCells must be >= 1, got "
                    + maxBatchCells);
        }
        if (intraOpThreads < 1 || interOpThreads < 1) {
            throw new IllegalArgumentException("encoder threads must be >= 1, got intra="
                    + intraOpThreads + " inter=" + interOpThreads);
        }
    }

    /** CLS pooling, batches of up to 32 texts and 65536 score cells, one thread per pool. */
    public static EncoderOptions defaults() {
        return new EncoderOptions(Pooling.CLS, 32, 1, 1, 1 << 16);
    }

    public EncoderOptions withPooling(Pooling p) {
        return new EncoderOptions(p, batchSize, intraOpThreads, interOpThreads, maxBatchCells);
    }

    public EncoderOptions withBatchSize(int n) {
        return new EncoderOptions(pooling, n, intraOpThreads, interOpThreads, maxBatchCells);
    }

    public EncoderOptions withMaxBatchCells(int n) {
        return new EncoderOptions(pooling, batchSize, intraOpThreads, interOpThreads, n);
    }

    public EncoderOptions withThreads(int intra, int inter) {
        return new EncoderOptions(pooling, batchSize, intra, inter, maxBatchCells);
    }
}
