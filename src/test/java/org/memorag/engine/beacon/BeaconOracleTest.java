package org.memorag.engine.beacon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.model.KvCache;
import org.memorag.engine.model.Prefill;
import org.memorag.engine.tensor.Device;
import org.memorag.testing.TinyBeaconCheckpoint;

/** §2.14 oracles (T1, T2) and chunking invariance (T4) on the DJL beacon path. */
class BeaconOracleTest {
    @TempDir
    Path tmp;

    static double maxDiff(float[][] a, float[][] b) {
        assertEquals(a.length, b.length, "rows");
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return m;
    }

    static float[][] plainLogits(BeaconDecoder d, int[] ids) {
        try (KvCache cache = KvCache.create(d.plain(), ids.length)) {
            return Prefill.runAllLogits(cache, ids, 7);
        }
    }

    static int[] randomPieces(int n, Random rnd) {
        int[] p = new int[n];
        int k = 0;
        for (int done = 0; done < n; ) {
            int len = Math.min(n - done, 1 + rnd.nextInt(9));
            p[k++] = len;
            done += len;
        }
        return java.util.Arrays.copyOf(p, k);
    }

    @Test
    void ratioZeroGivesThePlainDecodersLogitsForAnySplit() throws IOException {
        int[] ids = BeaconDecoderTest.ids(37, 4);
        for (String pos : List.of("interleave", "append")) {
            for (int window : new int[] {4, 8, 16}) {
                Path dir = TinyBeaconCheckpoint.qwen2().window(window).ratios(0).pos(pos).seed(9)
                        .writeTo(tmp.resolve(pos + window));
                try (BeaconDecoder d = BeaconCheckpoint.load(dir, Device.cpu(), null)) {
                    float[][] plain = plainLogits(d, ids);
                    for (int trial = 0; trial < 3; trial++) {
                        int[] pieces = trial == 0 ? new int[] {ids.length}
                                : randomPieces(ids.length, new Random(trial));
                        try (BeaconKv kv = d.newKv(d.config())) {
                            BeaconStream s = new BeaconStream(d.config(),
                                    d.schedule(d.config(), 0));
                            float[][] ours = BeaconDecoderTest.stream(d, ids, pieces, kv, s);
                            double diff = maxDiff(plain, ours);
                            assertTrue(diff <= 1e-3, pos + " W=" + window + " trial " + trial
                                    + ": max |logit diff| " + diff);
                            assertEquals(ids.length, s.slots());
                        }
                    }
                }
            }
        }
    }

    @Test
    void rawTokensBeforeTheFirstBeaconMatchThePlainDecoder() throws IOException {
        Path inter = TinyBeaconCheckpoint.mistral().window(8).ratios(4).seed(3)
                .writeTo(tmp.resolve("i"));
        Path app = TinyBeaconCheckpoint.qwen2().window(8).ratios(2).pos("append").seed(3)
                .writeTo(tmp.resolve("a"));
        int[] ids = BeaconDecoderTest.ids(8, 5);
        try (BeaconDecoder d = BeaconCheckpoint.load(inter, Device.cpu(), null);
                BeaconKv kv = d.newKv(d.config())) {
            BeaconStream s = new BeaconStream(d.config(), d.schedule(d.config(), 0));
            int[] first = java.util.Arrays.copyOf(ids, 4);
            float[][] ours = d.feed(kv, s, first, BeaconDecoder.Rows.ALL);
            assertTrue(maxDiff(plainLogits(d, first), ours) <= 1e-4);
            assertEquals(5, s.slots(), "the 4th token's beacon is already in the KV");
        }
        try (BeaconDecoder d = BeaconCheckpoint.load(app, Device.cpu(), null);
                BeaconKv kv = d.newKv(d.config())) {
            BeaconStream s = new BeaconStream(d.config(), d.schedule(d.config(), 0));
            float[][] ours = d.feed(kv, s, ids, BeaconDecoder.Rows.ALL);
            assertTrue(maxDiff(plainLogits(d, ids), ours) <= 1e-4);
            assertEquals(4, s.slots(), "append: after the window only its W/r beacons stay");
        }
    }

    @Test
    void anySplitGivesTheSameMemory() throws IOException {
        Path dir = TinyBeaconCheckpoint.qwen2().window(8).ratios(2).seed(5)
                .writeTo(tmp.resolve("s"));
        int[] ids = BeaconDecoderTest.ids(45, 6);
        try (BeaconDecoder d = BeaconCheckpoint.load(dir, Device.cpu(), null);
                BeaconKv whole = d.newKv(d.config()); BeaconKv split = d.newKv(d.config())) {
            BeaconStream a = new BeaconStream(d.config(), d.schedule(d.config(), 0));
            BeaconStream b = new BeaconStream(d.config(), d.schedule(d.config(), 0));
            d.feed(whole, a, ids, BeaconDecoder.Rows.NONE);
            int done = 0;
            for (int k : randomPieces(ids.length, new Random(2))) {
                d.feed(split, b, java.util.Arrays.copyOfRange(ids, done, done + k),
                        BeaconDecoder.Rows.NONE);
                done += k;
            }
            var ca = new java.util.HashMap<>(a.cursors());
            var cb = new java.util.HashMap<>(b.cursors());
            ca.remove("steps");     // the number of forward passes depends on the split
            cb.remove("steps");
            assertEquals(ca, cb);
            assertArrayEquals(a.openFlags(), b.openFlags());
            try (NDManager scope = whole.manager().newSubManager()) {
                for (int l = 0; l < 2; l++) {
                    assertClose(whole.ownMemoryKeys(scope, l), split.ownMemoryKeys(scope, l),
                            "memory keys layer " + l);
                    assertClose(whole.ownMemoryValues(scope, l), split.ownMemoryValues(scope, l),
                            "memory values layer " + l);
                    assertClose(whole.openKeysPre(scope, l), split.openKeysPre(scope, l),
                            "open keys layer " + l);
                }
            }
        }
    }

    static void assertClose(NDArray a, NDArray b, String what) {
        assertEquals(a.getShape(), b.getShape(), what);
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        for (int i = 0; i < x.length; i++) {
            assertTrue(Math.abs(x[i] - y[i]) <= 1e-5, what + " element " + i + ": " + x[i]
                    + " vs " + y[i]);
        }
    }
}
