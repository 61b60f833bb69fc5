package org.memorag.engine.beacon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.reference.ReferenceBeacon;
import org.memorag.engine.tensor.Device;
import org.memorag.testing.TinyBeaconCheckpoint;

/** The DJL beacon path against the float64 reference, window by window. */
class BeaconDecoderTest {
    @TempDir
    Path tmp;

    static int[] ids(int n, long seed) {
        Random r = new Random(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 3 + r.nextInt(90);
        }
        return ids;
    }

    static double maxDiff(double[][] ref, float[][] ours) {
        assertEquals(ref.length, ours.length, "rows");
        double m = 0;
        for (int i = 0; i < ref.length; i++) {
            for (int j = 0; j < ref[i].length; j++) {
                m = Math.max(m, Math.abs(ref[i][j] - ours[i][j]));
            }
        }
        return m;
    }

    static float[][] stream(BeaconDecoder d, int[] ids, int[] pieces, BeaconKv kv, BeaconStream s) {
        float[][] out = new float[ids.length][];
        int done = 0;
        for (int k : pieces) {
            float[][] part = d.feed(kv, s, java.util.Arrays.copyOfRange(ids, done, done + k),
                    BeaconDecoder.Rows.ALL);
            System.arraycopy(part, 0, out, done, k);
            done += k;
        }
        return out;
    }

    @Test
    void windowedProcessingEqualsTheReference() throws IOException {
        for (String arch : List.of("qwen2", "mistral")) {
            for (String pos : List.of("interleave", "append")) {
                TinyBeaconCheckpoint t = (arch.equals("qwen2") ? TinyBeaconCheckpoint.qwen2()
                        : TinyBeaconCheckpoint.mistral()).window(8).ratios(2).pos(pos).seed(7);
                Path dir = t.writeTo(tmp.resolve(arch + pos));
                int[] ids = ids(29, 3);
                double[][] ref;
                ReferenceBeacon r = ReferenceBeacon.load(dir);
                ReferenceBeacon.State rs = r.newState();
                ref = r.feed(rs, ids);
                try (BeaconDecoder d = BeaconCheckpoint.load(dir, Device.cpu(), null);
                        BeaconKv kv = d.newKv(d.config())) {
                    BeaconStream s = new BeaconStream(d.config(), d.schedule(d.config(), 0));
                    float[][] ours = stream(d, ids, new int[] {5, 1, 11, 12}, kv, s);
                    double diff = maxDiff(ref, ours);
                    assertTrue(diff < 1e-4, arch + " " + pos + ": max |logit diff| " + diff);
                    assertEquals(rs.slots(), s.slots());
                    assertEquals(rs.memory, kv.memorySlots());
                }
            }
        }
    }
}
