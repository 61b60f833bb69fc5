package org.memorag.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The low-level attention API engine.beacon builds on: segments, explicit masks, tiling, on DJL ops
 * and on the native kernel.
 */
class AttentionTest {
    static final int N = 9, H = 4, KV = 2, D = 8, PREFIX = 5;

    static float[] random(int n, Random r) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /**
     * Naive float64 attention: query i (key index PREFIX + i) sees keys allowed by {@code visible}.
     */
    static double[] naive(float[] q, float[] k, float[] v, int keys,
            java.util.function.BiPredicate<Integer, Integer> visible) {
        return naive(q, k, v, N, keys, visible);
    }

    /** The same for {@code n} queries. */
    static double[] naive(float[] q, float[] k, float[] v, int n, int keys,
            java.util.function.BiPredicate<Integer, Integer> visible) {
        return naive(q, k, v, n, H, KV, D, keys, visible);
    }

    /**
     * Float64 attention of q {@code [n, heads, d]} over k, v {@code [kvHeads, keys, d]}: query i
     * sees key j iff {@code visible.test(i, j)}.
     */
    static double[] naive(float[] q, float[] k, float[] v, int n, int heads, int kvHeads, int d,
            int keys, java.util.function.BiPredicate<Integer, Integer> visible) {
        double[] out = new double[n * heads * d];
        for (int i = 0; i < n; i++) {
            for (int h = 0; h < heads; h++) {
                int g = h / (heads / kvHeads);
                double[] s = new double[keys];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < keys; j++) {
                    double dot = 0;
                    for (int x = 0; x < d; x++) {
                        dot += (double) q[(i * heads + h) * d + x] * k[(g * keys + j) * d + x];
                    }
                    s[j] = visible.test(i, j) ? dot / Math.sqrt(d) : Double.NEGATIVE_INFINITY;
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j < keys; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int j = 0; j < keys; j++) {
                    for (int x = 0; x < d; x++) {
                        out[(i * heads + h) * d + x] += s[j] / sum * v[(g * keys + j) * d + x];
                    }
                }
            }
        }
        return out;
    }

    static void assertClose(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "element " + i);
        }
    }

    @Test
    void segmentsTilingAndMasksAgreeWithNaiveAttention() {
        Random r = new Random(5);
        int keys = PREFIX + N;
        float[] q = random(N * H * D, r);
        float[] k = random(KV * keys * D, r);
        float[] v = random(KV * keys * D, r);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray qa = m.create(q, new Shape(N, H, D));
            NDArray ka = m.create(k, new Shape(KV, keys, D));
            NDArray va = m.create(v, new Shape(KV, keys, D));
            // prefix and step as two segments, like a memory plus a request's own tokens
            NDIndex before = new NDIndex(":, :{}, :", PREFIX);
            NDIndex after = new NDIndex(":, {}:, :", PREFIX);
            List<KvSegment> two = List.of(new KvSegment(ka.get(before), va.get(before)),
                    new KvSegment(ka.get(after), va.get(after)));
            List<KvSegment> one = List.of(new KvSegment(ka, va));
            double[] causal = naive(q, k, v, keys, (i, j) -> j <= PREFIX + i);
            double[] window = naive(q, k, v, keys, (i, j) -> j <= PREFIX + i && j > PREFIX + i - 3);
            Mask full = Mask.causal(PREFIX, OptionalInt.empty());
            Mask slide = Mask.causal(PREFIX, OptionalInt.of(3));
            for (Attention.Implementation impl : List.of(Attention.Implementation.DJL,
                    Attention.Implementation.NATIVE)) {
                // the tilings change only the DJL path's blocks; the native kernel has its own
                for (int[] t : new int[][] {{512, 0}, {2, 3}, {4, 1}, {1, 5}}) {
                    assertClose(causal, Attention.attend(qa, two, full, t[0], t[1], impl)
                            .toFloatArray());
                    assertClose(causal, Attention.attend(qa, one, full, t[0], t[1], impl)
                            .toFloatArray());
                    assertClose(window, Attention.attend(qa, two, slide, t[0], t[1], impl)
                            .toFloatArray());
                }
            }
            // an explicit mask: every query sees the prefix and only itself among the step keys
            float[] add = new float[N * keys];
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < keys; j++) {
                    add[i * keys + j] = j < PREFIX || j == PREFIX + i ? 0 : Mask.HIDDEN;
                }
            }
            double[] diag = naive(q, k, v, keys, (i, j) -> j < PREFIX || j == PREFIX + i);
            NDArray mask = m.create(add, new Shape(N, keys));
            assertClose(diag, Attention.attend(qa, two, Mask.explicit(mask), 3, 2).toFloatArray());
        }
    }

    @Test
    void causalMaskClassifiesBlocks() {
        Mask c = Mask.causal(10, OptionalInt.of(4));      // query i is key 10 + i, sees (p-4, p]
        assertEquals(Mask.Visibility.NONE, c.classify(0, 2, 12, 20));   // future keys
        assertEquals(Mask.Visibility.NONE, c.classify(0, 2, 0, 7));     // left of every window
        // exactly the window of row 0
        assertEquals(Mask.Visibility.ALL, c.classify(0, 1, 7, 11));
        assertEquals(Mask.Visibility.PARTIAL, c.classify(0, 2, 7, 11));
        assertTrue(Mask.causal(0, OptionalInt.empty()).classify(5, 9, 0, 5) == Mask.Visibility.ALL);
    }
}
