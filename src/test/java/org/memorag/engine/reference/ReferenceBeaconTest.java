package org.memorag.engine.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.memorag.engine.beacon.BeaconConfig;
import org.memorag.engine.beacon.BeaconMath;
import org.memorag.engine.beacon.BeaconPos;
import org.memorag.engine.beacon.BeaconStream;
import org.memorag.engine.beacon.RatioSchedule;
import org.memorag.engine.beacon.StepPlan;
import org.memorag.testing.TinyBeaconCheckpoint;

/** The float64 beacon reference against its own plain decoder and the §2.14 oracles. */
class ReferenceBeaconTest {
    static int[] ids(int n, long seed) {
        Random r = new Random(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 3 + r.nextInt(90);
        }
        return ids;
    }

    static ReferenceBeacon ref(TinyBeaconCheckpoint t) {
        return ReferenceBeacon.of(t.configJson(), t.doubles());
    }

    static double[][] feedInPieces(ReferenceBeacon ref, ReferenceBeacon.State s, int[] ids,
            Random rnd) {
        List<double[]> out = new ArrayList<>();
        int done = 0;
        while (done < ids.length) {
            int k = Math.min(ids.length - done, 1 + rnd.nextInt(7));
            int[] piece = java.util.Arrays.copyOfRange(ids, done, done + k);
            for (double[] row : ref.feed(s, piece)) {
                out.add(row);
            }
            done += k;
        }
        return out.toArray(new double[0][]);
    }

    static double maxDiff(double[][] a, double[][] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return m;
    }

    @Test
    void ratioZeroEqualsThePlainDecoderForAnySplit() {
        for (String pos : List.of("interleave", "append")) {
            for (int window : new int[] {4, 8}) {
                ReferenceBeacon ref = ref(TinyBeaconCheckpoint.qwen2().window(window).ratios(0)
                        .pos(pos).seed(5));
                int[] ids = ids(21, 9);
                double[][] plain = ref.plainLogits(ids);
                double[][] whole = ref.feed(ref.newState(), ids);
                double[][] pieces = feedInPieces(ref, ref.newState(), ids, new Random(window));
                assertTrue(maxDiff(plain, whole) < 1e-9, pos + " W=" + window);
                assertTrue(maxDiff(plain, pieces) < 1e-9, pos + " W=" + window + " pieces");
            }
        }
    }

    @Test
    void tokensBeforeTheFirstBeaconSeeWhatThePlainDecoderSees() {
        ReferenceBeacon inter = ref(TinyBeaconCheckpoint.mistral().window(8).ratios(4).seed(2));
        int[] ids = ids(4, 1);
        assertTrue(maxDiff(inter.plainLogits(ids), inter.feed(inter.newState(), ids)) < 1e-9);
        int[] longer = ids(6, 1);
        double[][] plain = inter.plainLogits(longer);
        double[][] beacon = inter.feed(inter.newState(), longer);
        assertTrue(Math.abs(plain[5][0] - beacon[5][0]) > 1e-6,
                "token 5 sees the beacon after token 3: must differ from the plain decoder");
        ReferenceBeacon app = ref(TinyBeaconCheckpoint.qwen2().window(8).ratios(2)
                .pos("append").seed(2));
        int[] eight = ids(8, 4);
        assertTrue(maxDiff(app.plainLogits(eight), app.feed(app.newState(), eight)) < 1e-9);
    }

    @Test
    void layoutAndSlotCountsAgreeWithTheProductionPlanner() {
        for (String pos : List.of("interleave", "append")) {
            for (int ratio : new int[] {1, 2, 4}) {
                TinyBeaconCheckpoint t = TinyBeaconCheckpoint.qwen2().layers(1).window(8)
                        .ratios(ratio).pos(pos);
                ReferenceBeacon ref = ref(t);
                BeaconConfig cfg = BeaconConfig.fromJson(t.configJson(), "tiny");
                BeaconStream stream = new BeaconStream(cfg, new RatioSchedule(cfg, 4096, 0));
                ReferenceBeacon.State s = ref.newState();
                Random rnd = new Random(ratio);
                List<String> planned = new ArrayList<>();
                int fed = 0;
                while (fed < 29) {
                    int k = Math.min(29 - fed, 1 + rnd.nextInt(6));
                    ref.feed(s, ids(k, fed));
                    stream.append(k);
                    while (stream.hasPending()) {
                        StepPlan p = stream.nextStep();
                        StringBuilder sb = new StringBuilder();
                        for (int i = 0; i < p.stepSlots(); i++) {
                            sb.append(p.isBeacon(i) ? 'b' : 't');
                        }
                        planned.add(sb.toString());
                    }
                    fed += k;
                    assertEquals(stream.slots(), s.slots(), pos + " r=" + ratio + " N=" + fed);
                    assertEquals(BeaconMath.slots(fed, 8, ratio, BeaconPos.parse(pos, "t")),
                            s.slots());
                }
                assertEquals(planned, s.stepKinds, pos + " r=" + ratio);
            }
        }
    }

    @Test
    void keysAndValuesDoNotDependOnHowTheInputIsSplit() {
        ReferenceBeacon ref = ref(TinyBeaconCheckpoint.qwen2().window(8).ratios(2).seed(3));
        int[] ids = ids(27, 2);
        ReferenceBeacon.State whole = ref.newState();
        double[][] a = ref.feed(whole, ids);
        ReferenceBeacon.State split = ref.newState();
        double[][] b = feedInPieces(ref, split, ids, new Random(8));
        assertTrue(maxDiff(a, b) < 1e-9);
        for (int l = 0; l < 2; l++) {
            double[][] ka = whole.keys.get(l).toArray(new double[0][]);
            double[][] kb = split.keys.get(l).toArray(new double[0][]);
            assertTrue(maxDiff(ka, kb) < 1e-9, "layer " + l);
        }
    }

    @Test
    void beaconRowsUseTheBeaconProjections() {
        TinyBeaconCheckpoint distinct = TinyBeaconCheckpoint.qwen2().window(8).ratios(2).seed(4);
        TinyBeaconCheckpoint copied = TinyBeaconCheckpoint.qwen2().window(8).ratios(2).seed(4)
                .copyInit();
        Map<String, double[]> w = copied.doubles();
        // copy-init differs from the distinct weights only in beacon tensors
        Map<String, double[]> d = distinct.doubles();
        w.put("model.beacon_embed_tokens.weight", d.get("model.beacon_embed_tokens.weight"));
        ReferenceBeacon a = ReferenceBeacon.of(distinct.configJson(), d);
        ReferenceBeacon b = ReferenceBeacon.of(copied.configJson(), w);
        int[] ids = ids(6, 3);
        double[][] la = a.feed(a.newState(), ids);
        double[][] lb = b.feed(b.newState(), ids);
        assertTrue(maxDiff(new double[][] {la[0], la[1]}, new double[][] {lb[0], lb[1]}) < 1e-12,
                "rows before the first beacon use ordinary weights only");
        assertTrue(Math.abs(la[2][0] - lb[2][0]) > 1e-6, "row after a beacon sees its routing");
    }
}
