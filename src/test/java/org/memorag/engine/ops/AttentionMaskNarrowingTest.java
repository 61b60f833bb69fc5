package org.memorag.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Partial blocks are masked only on the keys whose visibility varies (added in place into that
 * slice of the scores): long causal and sliding-window chunks against float64 attention.
 */
class AttentionMaskNarrowingTest {
    static final int H = 4, KV = 2, D = 8;

    @Test
    void varyingKeysAreTheDiagonalOfACausalChunk() {
        Mask causal = Mask.causal(0, OptionalInt.empty());
        assertArrayEquals(new int[] {64, 128}, Attention.varyingKeys(causal, 64, 128, 0, 128));
        Mask windowed = Mask.causal(0, OptionalInt.of(100));
        // rows 192..255 see keys (p-100, p]: the left edge 93..155 and the diagonal vary
        int[] v = Attention.varyingKeys(windowed, 192, 256, 92, 256);
        assertEquals(92, v[0]);
        assertEquals(256, v[1]);
    }

    @Test
    void longCausalAndWindowedChunksMatchFloat64() {
        for (OptionalInt window : List.of(OptionalInt.empty(), OptionalInt.of(70))) {
            for (int keyBlock : new int[] {0, 96}) {
                check(150, 40, window, 64, keyBlock);
            }
        }
    }

    private static void check(int n, int offset, OptionalInt window, int queryChunk,
            int keyBlock) {
        Random r = new Random(n + offset + keyBlock);
        int keys = offset + n;
        float[] q = AttentionTest.random(n * H * D, r);
        float[] k = AttentionTest.random(KV * keys * D, r);
        float[] v = AttentionTest.random(KV * keys * D, r);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray out = Attention.attend(m.create(q, new Shape(n, H, D)),
                    List.of(new KvSegment(m.create(k, new Shape(KV, keys, D)),
                            m.create(v, new Shape(KV, keys, D)))),
                    Mask.causal(offset, window), queryChunk, keyBlock);
            float[] got = out.toFloatArray();
            double[] want = naive(q, k, v, n, keys, offset, window);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-5, "element " + i + " window " + window
                        + " keyBlock " + keyBlock);
            }
        }
    }

    private static double[] naive(float[] q, float[] k, float[] v, int n, int keys, int offset,
            OptionalInt window) {
        double[] out = new double[n * H * D];
        for (int i = 0; i < n; i++) {
            int p = offset + i;
            for (int h = 0; h < H; h++) {
                int g = h / (H / KV);
                double[] s = new double[keys];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < keys; j++) {
                    boolean visible = j <= p && (window.isEmpty() || j > p - window.getAsInt());
                    double dot = 0;
                    for (int d = 0; d < D; d++) {
                        dot += q[(i * H + h) * D + d] * k[(g * keys + j) * D + d];
                    }
                    s[j] = visible ? dot / Math.sqrt(D) : Double.NEGATIVE_INFINITY;
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j < keys; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int j = 0; j < keys; j++) {
                    for (int d = 0; d < D; d++) {
                        out[(i * H + h) * D + d] += s[j] / sum * v[(g * keys + j) * D + d];
                    }
                }
            }
        }
        return out;
    }
}
