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
    static final int H = AttentionTest.H, KV = AttentionTest.KV, D = AttentionTest.D;

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
                    Mask.causal(offset, window), queryChunk, keyBlock,
                    Attention.Implementation.DJL);   // the narrowing is the DJL path's
            float[] got = out.toFloatArray();
            double[] want = AttentionTest.naive(q, k, v, n, keys, (i, j) -> j <= offset + i
                    && (window.isEmpty() || j > offset + i - window.getAsInt()));
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-5, "element " + i + " window " + window
                        + " keyBlock " + keyBlock);
            }
        }
    }
}
