package org.memorag.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;

/**
 * Runs token ids through a decoder into a {@link KvCache}, {@code chunk} tokens per forward pass:
 * every matmul works on a [chunk, hidden] block (no per-token loop), and activations stay bounded
 * however long the input is (attention itself is chunked too, see ops.Attention).
 */
public final class Prefill {
    /** Tokens per forward pass when memorizing or reading a prompt. */
    public static final int DEFAULT_CHUNK = 2048;

    private Prefill() {}

    /** Appends {@code ids} to {@code cache}; returns the float32 logits of the last id, or null. */
    public static float[] run(KvCache cache, int[] ids, int chunk) {
        float[] last = null;
        for (int from = 0; from < ids.length; from += chunk) {
            int to = Math.min(ids.length, from + chunk);
            try (NDManager scope = cache.manager().newSubManager()) {
                NDArray h = forward(scope, cache, Arrays.copyOfRange(ids, from, to));
                if (to == ids.length) {
                    NDArray lastRow = h.get(scope, new NDIndex("{}:{}", to - from - 1, to - from));
                    last = cache.decoder().logits(lastRow).toFloatArray();
                }
            }
        }
        return last;
    }

    /** Like {@link #run} but returns the logits at every position, {@code [ids.length][vocab]}. */
    public static float[][] runAllLogits(KvCache cache, int[] ids, int chunk) {
        int vocab = cache.decoder().config().vocabSize();
        float[][] out = new float[ids.length][];
        for (int from = 0; from < ids.length; from += chunk) {
            int to = Math.min(ids.length, from + chunk);
            try (NDManager scope = cache.manager().newSubManager()) {
                float[] flat = cache.decoder().logits(forward(scope, cache,
                        Arrays.copyOfRange(ids, from, to)))
                        .toFloatArray();
                for (int i = from; i < to; i++) {
                    out[i] = Arrays.copyOfRange(flat, (i - from) * vocab, (i - from + 1) * vocab);
                }
            }
        }
        return out;
    }

    /** One forward pass of {@code ids} through every layer; hidden states [n, hidden] in scope. */
    static NDArray forward(NDManager scope, KvCache cache, int[] ids) {
        Decoder d = cache.decoder();
        AttentionStep step = cache.step(scope, ids.length);
        NDArray x = d.embed(scope, ids);
        for (int i = 0; i < d.config().numHiddenLayers(); i++) {
            x = d.layer(i, x, step);
        }
        cache.advance(ids.length);
        return x;
    }
}
