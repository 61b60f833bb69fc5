package org.memorag.engine.beacon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RatioScheduleTest {
    private static BeaconConfig config(List<Integer> ratios, String mix) {
        return new BeaconConfig(2048, 2048, BeaconAttn.FULL_COVERAGE, ratios,
                RatioMix.parse(mix, "test"), Set.of(), "eos", 0, true, BeaconPos.INTERLEAVE, 1);
    }

    @Test
    void oneElementListAlwaysGivesThatRatio() {
        RatioSchedule s = new RatioSchedule(config(List.of(4), "step-random"), 32768, 7);
        for (int i = 0; i < 50; i++) {
            assertEquals(4, s.pick(i, i * 2048L, -1));
        }
    }

    @Test
    void sequenceCyclesThroughTheList() {
        RatioSchedule s = new RatioSchedule(config(List.of(2, 4, 8), "sequence"), 32768, 7);
        int[] got = new int[7];
        for (int i = 0; i < got.length; i++) {
            got[i] = s.pick(i, 0, -1);
        }
        assertEquals(List.of(2, 4, 8, 2, 4, 8, 2), java.util.Arrays.stream(got).boxed().toList());
    }

    @Test
    void stepRandomDependsOnlyOnSeedAndWindowNumber() {
        RatioSchedule a = new RatioSchedule(config(List.of(2, 4, 8), "step-random"), 32768, 7);
        RatioSchedule b = new RatioSchedule(config(List.of(2, 4, 8), "step-random"), 32768, 7);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            int r = a.pick(i, 0, -1);
            assertEquals(r, b.pick(i, 999, -1), "window " + i);
            seen.add(r);
        }
        assertEquals(Set.of(2, 4, 8), seen);
    }

    @Test
    void adaptPicksTheSmallestCapacityThatHoldsTheTarget() {
        RatioSchedule s = new RatioSchedule(config(List.of(2, 4, 8, 16), "adapt-1000"), 32768, 0);
        // capacity (P - W) r + W: r=4 -> 124,928; r=8 -> 247,808 (BEACON_SPEC §2.9)
        assertEquals(4, s.pick(0, 124_928 - 1000, -1));
        assertEquals(8, s.pick(0, 124_928 - 999, -1));
        assertEquals(16, s.pick(0, 10_000_000, -1), "largest ratio when nothing holds it");
        assertEquals(2, s.pick(5, 10_000_000, 2), "the sequence's first pick is kept");
        assertTrue(s.isFixedPerSequence());
    }
}
