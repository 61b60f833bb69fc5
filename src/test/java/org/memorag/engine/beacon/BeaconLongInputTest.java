package org.memorag.engine.beacon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.tensor.Device;
import org.memorag.testing.TinyBeaconCheckpoint;

/** T23: 64K+ tokens through the tiny model keep only slots(N) of KV (no full-KV growth). */
class BeaconLongInputTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sixtyFourKTokensKeepABoundedMemory() throws IOException {
        int window = 64;
        int ratio = 32;
        Path dir = TinyBeaconCheckpoint.qwen2().window(window).ratios(ratio).seed(21)
                .writeTo(tmp.resolve("long"));
        int total = 65_536 + 37;
        int chunk = 16384;
        try (BeaconDecoder d = BeaconCheckpoint.load(dir, Device.cpu(), null);
                BeaconKv kv = d.newKv(d.config())) {
            BeaconStream s = new BeaconStream(d.config(), d.schedule(d.config(), 0));
            long slotBytes = d.slotBytes();
            int arraysAfterFirst = -1;
            long heapAfterFirst = 0;
            for (int done = 0; done < total; done += chunk) {
                int n = Math.min(chunk, total - done);
                d.feed(kv, s, BeaconDecoderTest.ids(n, done), BeaconDecoder.Rows.NONE);
                int fed = done + n;
                long expected = BeaconMath.slots(fed, window, ratio, BeaconPos.INTERLEAVE);
                assertEquals(expected, s.slots(), "slots after " + fed + " tokens");
                assertEquals(expected * slotBytes, kv.bytes());
                // capacity doubling: never more than 2x the memory plus one open window buffer
                long bound = 2 * (expected + 64) * slotBytes + 3L * (window + window / ratio)
                        * slotBytes / 2;
                assertTrue(kv.allocatedBytes() <= bound, "native KV " + kv.allocatedBytes()
                        + " > " + bound + " after " + fed);
                int arrays = kv.manager().getManagedArrays().size();
                if (arraysAfterFirst < 0) {
                    arraysAfterFirst = arrays;
                    heapAfterFirst = usedHeap();
                }
                assertTrue(arrays <= 5 * 2, "arrays held by the stream: " + arrays
                        + " (no per-step leak)");
            }
            long heap = usedHeap();
            assertTrue(heap - heapAfterFirst < 64L << 20, "heap grew by "
                    + (heap - heapAfterFirst) + " bytes over " + total + " tokens");
            assertTrue(s.slots() < total / 31, "compressed about " + ratio + "x: " + s.slots());
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
