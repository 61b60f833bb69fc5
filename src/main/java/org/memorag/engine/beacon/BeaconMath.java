package org.memorag.engine.beacon;

/**
 * Closed forms of the beacon memory (BEACON_SPEC §2.7, §2.9, §2.11) for {@code W == S}, sink 0:
 * slot counts, where a raw token or a beacon sits inside a window, and position capacity. The
 * streaming state ({@link BeaconStream}) must agree with these; tests check that it does.
 */
public final class BeaconMath {
    private BeaconMath() {}

    /**
     * Memory slots after streaming {@code n} raw tokens with one ratio: {@code F·W/r + p +
     * floor(p/r)} (interleave) or {@code F·W/r + p} (append), {@code F = n div W},
     * {@code p = n mod W}; {@code n} for ratio 0 (§2.11).
     */
    public static long slots(long n, int window, int ratio, BeaconPos pos) {
        if (n < 0) {
            throw new IllegalArgumentException("token count must be >= 0, got " + n);
        }
        if (ratio == 0) {
            return n;
        }
        checkRatio(window, ratio);
        long full = n / window;
        long p = n % window;
        long slots = full * (window / ratio) + p;
        return pos == BeaconPos.INTERLEAVE ? slots + p / ratio : slots;
    }

    /** Key/value bytes of {@code slots} memory slots: {@code slots·L·2·Hkv·D·elementBytes}. */
    public static long bytes(long slots, long slotBytes) {
        return Math.multiplyExact(slots, slotBytes);
    }

    /** Bytes one memory slot takes over all layers: {@code L·2·Hkv·D·elementBytes} (§3.3). */
    public static long slotBytes(int layers, int kvHeads, int headDim, int elementBytes) {
        return (long) layers * 2 * kvHeads * headDim * elementBytes;
    }

    /** Window slot of raw window offset {@code j} (interleave): {@code j + floor(j/r)} (§2.7). */
    public static int rawSlot(int j, int ratio, BeaconPos pos) {
        return pos == BeaconPos.INTERLEAVE && ratio > 0 ? j + j / ratio : j;
    }

    /**
     * Window slot of beacon {@code m}: {@code (m+1)(r+1) − 1} (interleave, right after raw
     * offset {@code (m+1)r − 1}) or {@code W + m} (append).
     */
    public static int beaconSlot(int m, int window, int ratio, BeaconPos pos) {
        checkRatio(window, ratio);
        return pos == BeaconPos.INTERLEAVE ? (m + 1) * (ratio + 1) - 1 : window + m;
    }

    /** Slots a full window occupies while open: {@code W + W/r} (2560 for 2048 / 4). */
    public static int fullWindowSlots(int window, int ratio) {
        return ratio == 0 ? window : window + window / ratio;
    }

    /** Beacons a closed window leaves in the memory: {@code W/r}, or W for ratio 0 (§2.10). */
    public static int beaconsPerWindow(int window, int ratio) {
        return ratio == 0 ? window : window / ratio;
    }

    /**
     * Raw tokens a ratio can take before positions pass {@code positionLimit}
     * ({@code max_position_embeddings × rope factor}): {@code (P − W)·r + W}, or P for ratio 0
     * (upstream {@code adapt-N} capacity, §2.4, §2.9).
     */
    public static long capacity(long positionLimit, int window, int ratio) {
        return ratio == 0 ? positionLimit : (positionLimit - window) * ratio + window;
    }

    private static void checkRatio(int window, int ratio) {
        if (ratio <= 0 || window % ratio != 0) {
            throw new IllegalArgumentException("ratio " + ratio + " must be > 0 and divide"
                    + " beacon_window " + window);
        }
    }
}
