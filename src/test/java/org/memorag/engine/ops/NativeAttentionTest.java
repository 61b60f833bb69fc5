package org.memorag.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fused native attention kernel (both implementations) against float64 attention: head sizes
 * that are and are not multiples of a vector, GQA groups, partial tiles and blocks, segments read
 * in place from cache buffers with room to spare, causal, sliding-window and all-visible masks.
 */
class NativeAttentionTest {
    /** Every native implementation this CPU runs (AVX-512 and AVX2 here, else what there is). */
    static final List<Attention.Implementation> NATIVE = nativeImplementations();

    static List<Attention.Implementation> nativeImplementations() {
        List<Attention.Implementation> impls = new ArrayList<>(List.of(
                Attention.Implementation.NATIVE, Attention.Implementation.NATIVE_PORTABLE));
        if (NativeAttention.hasAvx2()) {
            impls.add(Attention.Implementation.NATIVE_AVX2);
        }
        return impls;
    }

    @BeforeAll
    static void libraryLoads() {
        assertTrue(NativeAttention.available(), NativeAttention.unavailableReason());
    }

    /** heads, kv heads, head size, query rows, query offset, window (0 = none). */
    record Case(int heads, int kvHeads, int d, int n, int offset, int window) {}

    @Test
    void matchesFloat64AcrossShapesAndMasks() {
        List<Case> cases = List.of(
                new Case(4, 2, 8, 9, 5, 0),        // the tiny test models' shape
                new Case(6, 3, 20, 70, 37, 0),     // head size not a multiple of 16; two tiles
                new Case(6, 3, 20, 70, 37, 30),    // sliding window inside a tile
                new Case(12, 4, 64, 130, 40, 0),   // the benchmark model's heads; partial tile
                new Case(12, 4, 64, 130, 40, 90),  // window edges across key blocks
                new Case(7, 1, 128, 33, 100, 0),   // 7 heads on one kv head (Qwen2-7B's group)
                new Case(2, 2, 16, 1, 200, 0),     // one decode row
                new Case(3, 3, 24, 200, 0, 0));    // no prefix, groups of 1
        for (Case c : cases) {
            for (Attention.Implementation impl : NATIVE) {
                check(c, impl, true);
            }
        }
    }

    @Test
    void allVisibleMaskSeesEveryKey() {
        for (Attention.Implementation impl : NATIVE) {
            check(new Case(4, 2, 8, 20, 0, 0), impl, false);
            check(new Case(6, 2, 64, 70, 0, 0), impl, false);
        }
    }

    @Test
    void agreesWithTheDjlPath() {
        Case c = new Case(12, 4, 64, 150, 60, 0);
        Random r = new Random(11);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Inputs in = Inputs.of(m, c, r);
            Mask mask = Mask.causal(c.offset(), OptionalInt.empty());
            float[] djl = Attention.attend(in.q, in.segments, mask, 64, 0,
                    Attention.Implementation.DJL).toFloatArray();
            float[] nat = Attention.attend(in.q, in.segments, mask, 64, 0,
                    Attention.Implementation.NATIVE).toFloatArray();
            for (int i = 0; i < djl.length; i++) {
                assertEquals(djl[i], nat[i], 1e-5, "element " + i);
            }
        }
    }

    @Test
    void sharpScoresStayExactAndTheCallersFloatModeIsRestored() {
        // queries 40x larger: most probabilities are far below float's normal range, which the
        // kernel flushes to zero on its threads (for speed) and must not leave flushed on ours
        for (Attention.Implementation impl : NATIVE) {
            Case c = new Case(4, 2, 16, 40, 30, 0);
            Random r = new Random(9);
            try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                Inputs in = Inputs.of(m, c, r);
                for (int i = 0; i < in.qs().length; i++) {
                    in.qs()[i] *= 40;
                }
                NDArray q = m.create(in.qs(), new Shape(c.n(), c.heads(), c.d()));
                Mask mask = Mask.causal(c.offset(), OptionalInt.empty());
                float[] got = Attention.attend(q, in.segments(), mask, 64, 0, impl).toFloatArray();
                double[] want = float64(c, in, (i, j) -> j <= c.offset() + i);
                // scores near 100 carry float32 rounding of ~1e-5 into the probabilities
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-4, impl + " element " + i);
                }
            }
            float[] tiny = {Float.MIN_NORMAL};
            assertTrue(tiny[0] * 0.5f > 0, "denormals are flushed on the calling thread");
        }
    }

    @Test
    void autoSendsLongDecodeStepsToDjlOpsAndPromptsToTheVectorKernel() {
        // a query chunk of 0 is refused by the DJL path only: it shows which path auto took
        int keys = Attention.NATIVE_DECODE_MAX_KEYS + 1;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray kb = m.randomNormal(new Shape(2, keys, 8));
            NDArray vb = m.randomNormal(new Shape(2, keys, 8));
            List<KvSegment> segs = List.of(KvSegment.ofSlots(m, kb, vb, 0, keys));
            NDArray one = m.randomNormal(new Shape(1, 4, 8));
            NDArray two = m.randomNormal(new Shape(2, 4, 8));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Attention.attend(one, segs, Mask.causal(keys - 1, OptionalInt.empty()),
                            0, 0, Attention.Implementation.AUTO));
            assertTrue(e.getMessage().contains("attention tiling"), e.getMessage());
            Mask prompt = Mask.causal(keys - 2, OptionalInt.empty());
            if (NativeAttention.hasVectorKernel()) {
                assertEquals(2 * 32, Attention.attend(two, segs, prompt, 0, 0,
                        Attention.Implementation.AUTO).size());
            } else {   // without AVX-512 or AVX2 auto keeps DJL ops (the portable loops are slower)
                assertThrows(IllegalArgumentException.class, () -> Attention.attend(two, segs,
                        prompt, 0, 0, Attention.Implementation.AUTO));
            }
        }
    }

    @Test
    void aRowThatSeesNoKeyIsAnError() {
        // a window of 2 at positions 100.. over 50 keys: every row's window is past the last key
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Inputs in = Inputs.of(m, new Case(4, 2, 8, 3, 100, 2), new Random(3), 50);
            for (Attention.Implementation impl : NATIVE) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Attention.attend(in.q, in.segments,
                                Mask.causal(100, OptionalInt.of(2)), 64, 0, impl));
                assertTrue(e.getMessage().contains("sees no key"), e.getMessage());
            }
        }
    }

    @Test
    void segmentsOfDifferentHeadsAreRefused() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray q = m.randomNormal(new Shape(4, 4, 8));
            List<KvSegment> segs = List.of(
                    new KvSegment(m.randomNormal(new Shape(2, 5, 8)),
                            m.randomNormal(new Shape(2, 5, 8))),
                    new KvSegment(m.randomNormal(new Shape(1, 5, 8)),
                            m.randomNormal(new Shape(1, 5, 8))));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Attention.attend(q, segs, Mask.none(), 64, 0,
                            Attention.Implementation.NATIVE));
            assertTrue(e.getMessage().contains("segment 1"), e.getMessage());
        }
    }

    @Test
    void masksGivenAsDataAreNotForTheNativeKernel() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray q = m.randomNormal(new Shape(2, 4, 8));
            List<KvSegment> segs = List.of(new KvSegment(m.randomNormal(new Shape(2, 3, 8)),
                    m.randomNormal(new Shape(2, 3, 8))));
            Mask data = Mask.explicit(m.zeros(new Shape(2, 3)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Attention.attend(q, segs, data, 64, 0, Attention.Implementation.NATIVE));
            assertTrue(e.getMessage().contains("mask given as data"), e.getMessage());
            // auto takes the DJL path for it
            assertEquals(64, Attention.attend(q, segs, data, 64, 0,
                    Attention.Implementation.AUTO).size());
        }
    }

    /** q, and the keys as two segments over cache-like buffers with room for 7 more slots. */
    private record Inputs(NDArray q, List<KvSegment> segments, float[] qs, float[] ks, float[] vs,
            int keys) {
        static Inputs of(NDManager m, Case c, Random r) {
            return of(m, c, r, c.offset() + c.n());
        }

        static Inputs of(NDManager m, Case c, Random r, int keys) {
            int cap = keys + 7;
            float[] qs = AttentionTest.random(c.n() * c.heads() * c.d(), r);
            float[] ks = AttentionTest.random(c.kvHeads() * keys * c.d(), r);
            float[] vs = AttentionTest.random(c.kvHeads() * keys * c.d(), r);
            NDArray kb = m.zeros(new Shape(c.kvHeads(), cap, c.d()));
            NDArray vb = m.zeros(new Shape(c.kvHeads(), cap, c.d()));
            NDIndex filled = new NDIndex(":, 0:{}, :", keys);
            kb.set(filled, m.create(ks, new Shape(c.kvHeads(), keys, c.d())));
            vb.set(filled, m.create(vs, new Shape(c.kvHeads(), keys, c.d())));
            int split = keys / 3;
            List<KvSegment> segs = new ArrayList<>();
            if (split > 0) {
                segs.add(KvSegment.ofSlots(m, kb, vb, 0, split));
            }
            segs.add(KvSegment.ofSlots(m, kb, vb, split, keys));
            return new Inputs(m.create(qs, new Shape(c.n(), c.heads(), c.d())), segs, qs, ks, vs,
                    keys);
        }
    }

    private static void check(Case c, Attention.Implementation impl, boolean causal) {
        Random r = new Random(c.hashCode());
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Inputs in = Inputs.of(m, c, r);
            Mask mask = causal ? Mask.causal(c.offset(), c.window() > 0
                    ? OptionalInt.of(c.window()) : OptionalInt.empty()) : Mask.none();
            float[] got = Attention.attend(in.q, in.segments, mask, 64, 0, impl).toFloatArray();
            double[] want = float64(c, in, (i, j) -> !causal || (j <= c.offset() + i
                    && (c.window() == 0 || j > c.offset() + i - c.window())));
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-5, impl + " " + c + " causal " + causal
                        + " element " + i);
            }
        }
    }

    /** Float64 attention over the unsplit keys [kvHeads, keys, d]. */
    private static double[] float64(Case c, Inputs in,
            java.util.function.BiPredicate<Integer, Integer> visible) {
        return AttentionTest.naive(in.qs(), in.ks(), in.vs(), c.n(), c.heads(), c.kvHeads(), c.d(),
                in.keys(), visible);
    }
}
