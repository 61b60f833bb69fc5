package org.memorag.engine.beacon;

import java.util.Arrays;

/**
 * One forward step of the beacon stream (BEACON_SPEC §2.6): which raw tokens go in, where the
 * beacons sit among them, what the step sees in front of it, and what the memory keeps after it.
 * Pure data; {@link BeaconStream#nextStep()} makes them and a decoder executes them.
 *
 * <p>Key layout of the step: {@code memory (compacted beacons, positions 0..memorySlots-1) ++
 * open window cached slots ++ this step's slots}; positions are contiguous (§2.9, full-coverage),
 * so step slot {@code i} has position {@code prefixSlots() + i}. Mask: full-coverage is causal
 * inside the step with every prefix key visible (§2.8).
 *
 * @param index        0-based step number in the stream
 * @param rawStart     stream index of the step's first raw token
 * @param rawCount     raw tokens in the step (n)
 * @param ratio        ratio of the window (0 = no compression, or append's partial step)
 * @param closesWindow the step completes a window: it is compacted afterwards
 * @param memorySlots  compacted memory slots in front of the open window
 * @param openSlots    slots of the open window already cached (raw and beacons)
 * @param kinds        per step slot: {@link #RAW} or {@link #BEACON}
 * @param keep         when {@code closesWindow}: indices into (open window ++ step) of the slots
 *                     that become memory, in order (beacons, or everything for ratio 0); else
 *                     empty
 */
public record StepPlan(long index, int rawStart, int rawCount, int ratio, boolean closesWindow,
        int memorySlots, int openSlots, byte[] kinds, int[] keep) {
    public static final byte RAW = 0;
    public static final byte BEACON = 1;

    /** Key/value slots in front of this step (memory ++ cached open window). */
    public int prefixSlots() {
        return memorySlots + openSlots;
    }

    /** Slots of this step (raw tokens + beacons). */
    public int stepSlots() {
        return kinds.length;
    }

    /** Beacons inserted in this step. */
    public int beaconCount() {
        int c = 0;
        for (byte k : kinds) {
            c += k;
        }
        return c;
    }

    /** True when step slot {@code i} is a beacon. */
    public boolean isBeacon(int i) {
        return kinds[i] == BEACON;
    }

    /** Position id of step slot {@code i}: contiguous after the prefix (§2.9). */
    public int position(int i) {
        return prefixSlots() + i;
    }

    /** Position ids of the step's slots (queries). */
    public int[] positions() {
        int[] p = new int[kinds.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = position(i);
        }
        return p;
    }

    /** Position ids of every key the step attends to: {@code 0 .. prefix + T − 1}. */
    public int[] keyPositions() {
        int[] p = new int[prefixSlots() + kinds.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        return p;
    }

    /** Step slot indices of the raw tokens, in stream order (the rows whose logits count). */
    public int[] rawRows() {
        int[] rows = new int[rawCount];
        int j = 0;
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == RAW) {
                rows[j++] = i;
            }
        }
        return rows;
    }

    /** Full-coverage visibility: step row {@code row} sees key {@code key} (0-based). */
    public boolean visible(int row, int key) {
        return key <= prefixSlots() + row;
    }

    /**
     * Additive mask {@code [T][prefix + T]}: 0 visible, {@code hidden} otherwise (§2.8). For
     * tests and small steps; the decoder uses causal attention with the prefix as past instead.
     */
    public float[][] additiveMask(float hidden) {
        int keys = prefixSlots() + kinds.length;
        float[][] m = new float[kinds.length][keys];
        for (int r = 0; r < kinds.length; r++) {
            for (int k = 0; k < keys; k++) {
                m[r][k] = visible(r, k) ? 0f : hidden;
            }
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepPlan s && index == s.index && rawStart == s.rawStart
                && rawCount == s.rawCount && ratio == s.ratio && closesWindow == s.closesWindow
                && memorySlots == s.memorySlots && openSlots == s.openSlots
                && Arrays.equals(kinds, s.kinds) && Arrays.equals(keep, s.keep);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + rawStart * 17 + Arrays.hashCode(kinds);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("step ").append(index).append(" raw[").append(rawStart)
                .append(", ").append(rawStart + rawCount).append(") ratio=").append(ratio)
                .append(" prefix=").append(memorySlots).append('+').append(openSlots)
                .append(closesWindow ? " closes" : " open").append(" slots=");
        for (byte k : kinds) {
            sb.append(k == BEACON ? 'b' : 't');
        }
        return sb.toString();
    }
}
