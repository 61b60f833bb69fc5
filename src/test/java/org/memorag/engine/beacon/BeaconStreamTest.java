package org.memorag.engine.beacon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BeaconStreamTest {
    static BeaconConfig config(int window, int ratio, BeaconPos pos) {
        return new BeaconConfig(window, window, BeaconAttn.FULL_COVERAGE, List.of(ratio),
                new RatioMix(RatioMix.Kind.STEP_RANDOM, 0), Set.of(), "eos", 0, true, pos, 1);
    }

    static BeaconStream stream(int window, int ratio, BeaconPos pos) {
        BeaconConfig c = config(window, ratio, pos);
        return new BeaconStream(c, new RatioSchedule(c, 32768, 0));
    }

    @Test
    void workedExampleOfTheSpecW8R4() {
        BeaconStream s = stream(8, 4, BeaconPos.INTERLEAVE);
        SlotTracker t = new SlotTracker(8);
        t.run(s, 11);
        assertEquals(2, t.plans.size());
        StepPlan one = t.plans.get(0);
        assertEquals("ttttbttttb", kinds(one));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, one.positions());
        assertTrue(one.closesWindow());
        StepPlan two = t.plans.get(1);
        assertEquals("ttt", kinds(two));
        assertArrayEquals(new int[] {2, 3, 4}, two.positions());
        assertEquals(List.of("b0.0", "b0.1", "t8", "t9", "t10"), t.slots());
        t.run(s, 3);
        StepPlan three = t.plans.get(2);
        assertEquals(5, three.prefixSlots());
        assertEquals("tbtt", kinds(three));
        assertArrayEquals(new int[] {5, 6, 7, 8}, three.positions());
        assertEquals(List.of("b0.0", "b0.1", "t8", "t9", "t10", "t11", "b1.0", "t12", "t13"),
                t.slots());
        assertArrayEquals(new byte[] {0, 0, 0, 0, 1, 0, 0}, s.openFlags());
    }

    @Test
    void memoryLengthFollowsTheClosedFormForEveryLengthAndRatio() {
        int window = 16;
        for (BeaconPos pos : BeaconPos.values()) {
            for (int ratio : new int[] {1, 2, 4, 8, 16}) {
                BeaconStream s = stream(window, ratio, pos);
                for (int n = 1; n <= 5 * window + 3; n++) {
                    s.append(1);
                    while (s.hasPending()) {
                        s.nextStep();
                    }
                    int full = n / window;
                    int p = n % window;
                    int expected = full * window / ratio + p
                            + (pos == BeaconPos.INTERLEAVE ? p / ratio : 0);
                    assertEquals(expected, s.slots(), pos + " r=" + ratio + " N=" + n);
                    assertEquals(expected, BeaconMath.slots(n, window, ratio, pos));
                }
            }
        }
    }

    @Test
    void ratioZeroKeepsEveryToken() {
        for (BeaconPos pos : BeaconPos.values()) {
            BeaconStream s = stream(8, 0, pos);
            SlotTracker t = new SlotTracker(8);
            t.run(s, 5);
            t.run(s, 13);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 18; i++) {
                expected.add("t" + i);
            }
            assertEquals(expected, t.slots(), pos.key());
            for (StepPlan p : t.plans) {
                assertEquals(0, p.beaconCount());
                assertEquals(p.prefixSlots(), p.rawStart(), "contiguous positions " + p);
            }
        }
    }

    @Test
    void anySplitOfTheInputGivesTheSameSlotsAndCursors() {
        Random rnd = new Random(3);
        for (BeaconPos pos : BeaconPos.values()) {
            for (int ratio : new int[] {0, 1, 2, 4, 8}) {
                int n = 8 * 5 + 5;
                BeaconStream whole = stream(8, ratio, pos);
                SlotTracker a = new SlotTracker(8);
                a.run(whole, n);
                for (int trial = 0; trial < 5; trial++) {
                    BeaconStream pieces = stream(8, ratio, pos);
                    SlotTracker b = new SlotTracker(8);
                    int fed = 0;
                    while (fed < n) {
                        int k = trial == 0 ? 1 : Math.min(n - fed, 1 + rnd.nextInt(11));
                        b.run(pieces, k);
                        fed += k;
                    }
                    String what = pos + " r=" + ratio + " trial " + trial;
                    assertEquals(a.slots(), b.slots(), what);
                    assertEquals(whole.cursors().get("rem"), pieces.cursors().get("rem"), what);
                    assertEquals(whole.cursors().get("win_start"),
                            pieces.cursors().get("win_start"), what);
                    assertArrayEquals(whole.openFlags(), pieces.openFlags(), what);
                }
            }
        }
    }

    @Test
    void rawTokensAndBeaconsSitWhereTheWindowLayoutSays() {
        int window = 16;
        for (int ratio : new int[] {1, 2, 4, 8, 16}) {
            BeaconStream s = stream(window, ratio, BeaconPos.INTERLEAVE);
            SlotTracker t = new SlotTracker(window);
            t.run(s, window + 7);      // one closed window (ignored) + a partial one
            t.run(s, window - 7);      // completes the second window in another call
            List<String> win = new ArrayList<>();
            for (StepPlan p : t.plans) {
                if (p.rawStart() >= window) {
                    for (int i = 0; i < p.stepSlots(); i++) {
                        win.add(p.isBeacon(i) ? "b" : "t");
                    }
                }
            }
            assertEquals(BeaconMath.fullWindowSlots(window, ratio), win.size(), "r=" + ratio);
            for (int j = 0; j < window; j++) {
                assertEquals("t", win.get(BeaconMath.rawSlot(j, ratio, BeaconPos.INTERLEAVE)));
            }
            for (int m = 0; m < window / ratio; m++) {
                assertEquals("b", win.get(BeaconMath.beaconSlot(m, window, ratio,
                        BeaconPos.INTERLEAVE)), "r=" + ratio + " beacon " + m);
            }
        }
        assertEquals(2560, BeaconMath.fullWindowSlots(2048, 4));
    }

    @Test
    void appendPutsAllBeaconsAfterTheWindowInTheClosingStep() {
        BeaconStream s = stream(8, 2, BeaconPos.APPEND);
        SlotTracker t = new SlotTracker(8);
        t.run(s, 5);
        t.run(s, 5);
        assertEquals("ttttt", kinds(t.plans.get(0)));
        assertEquals(0, t.plans.get(0).ratio());
        StepPlan close = t.plans.get(1);
        assertEquals("tttbbbb", kinds(close));
        assertArrayEquals(new int[] {5, 6, 7, 8, 9, 10, 11}, close.positions());
        assertEquals(List.of("b0.0", "b0.1", "b0.2", "b0.3", "t8", "t9"), t.slots());
        assertEquals(4, t.plans.get(2).prefixSlots());
    }

    @Test
    void compactionGrowsTheMemoryByExactlyTheWindowsBeacons() {
        for (int ratio : new int[] {0, 2, 4}) {
            BeaconStream s = stream(8, ratio, BeaconPos.INTERLEAVE);
            s.append(8 * 3);
            int before = 0;
            while (s.hasPending()) {
                StepPlan p = s.nextStep();
                assertTrue(p.closesWindow());
                assertEquals(before, p.memorySlots());
                assertEquals(0, s.openSlots());
                assertEquals(before + BeaconMath.beaconsPerWindow(8, ratio), s.memorySlots());
                // compacted memory slot k has position k: the next step starts right after them
                before = s.memorySlots();
            }
        }
    }

    @Test
    void masksAreCausalInsideTheStepWithThePrefixVisible() {
        BeaconStream s = stream(8, 4, BeaconPos.INTERLEAVE);
        s.append(11);
        s.nextStep();
        StepPlan p = s.nextStep();
        float[][] m = p.additiveMask(Float.NEGATIVE_INFINITY);
        assertEquals(3, m.length);
        assertEquals(2 + 3, m[0].length);
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 5; k++) {
                float expected = k < 2 || k - 2 <= r ? 0f : Float.NEGATIVE_INFINITY;
                assertEquals(expected, m[r][k], "row " + r + " key " + k);
            }
        }
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, p.keyPositions());
        assertArrayEquals(new int[] {0, 1, 2}, p.rawRows());
    }

    @Test
    void cursorsRoundTripAndContinueExactly() {
        BeaconStream a = stream(8, 4, BeaconPos.INTERLEAVE);
        SlotTracker ta = new SlotTracker(8);
        ta.run(a, 13);
        BeaconStream b = BeaconStream.restore(config(8, 4, BeaconPos.INTERLEAVE),
                new RatioSchedule(config(8, 4, BeaconPos.INTERLEAVE), 32768, 0), a.cursors(),
                a.openFlags(), "memory.safetensors");
        assertEquals(a.cursors(), b.cursors());
        a.append(9);
        b.append(9);
        while (a.hasPending()) {
            assertEquals(a.nextStep(), b.nextStep());
        }
        assertEquals(a.cursors(), b.cursors());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BeaconStream.restore(config(8, 4, BeaconPos.INTERLEAVE),
                        new RatioSchedule(config(8, 4, BeaconPos.INTERLEAVE), 32768, 0),
                        a.cursors(), new byte[3], "memory.safetensors"));
        assertTrue(e.getMessage().startsWith("memory.safetensors: open_flags"), e.getMessage());
    }

    @Test
    void aCopyIsIndependentOfItsBase() {
        BeaconStream base = stream(8, 4, BeaconPos.INTERLEAVE);
        new SlotTracker(8).run(base, 10);
        var before = base.cursors();
        BeaconStream overlay = base.copy();
        overlay.append(20);
        while (overlay.hasPending()) {
            overlay.nextStep();
        }
        assertEquals(before, base.cursors());
    }

    private static String kinds(StepPlan p) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < p.stepSlots(); i++) {
            sb.append(p.isBeacon(i) ? 'b' : 't');
        }
        return sb.toString();
    }
}
