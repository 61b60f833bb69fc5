package org.memorag.engine.beacon;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cursors of one beacon stream (BEACON_SPEC §2.5/§2.6), without any tensors: how many raw
 * tokens were received and consumed, where the open window starts, its ratio and remainder, and
 * one flag per slot of the open window. {@link #nextStep()} cuts the next step and advances the
 * cursors; the caller runs the step on the model and applies {@link StepPlan#keep()} to its KV.
 * Feeding the same tokens in any pieces yields the same slots (T4).
 *
 * <p>Supported: {@code W == S}, sink 0, full-coverage ({@link BeaconConfig#requireSupported}).
 * Not thread-safe; {@link #copy()} gives an independent stream (a question's overlay).
 */
public final class BeaconStream {
    /** Flag of an open-window slot: raw token, dropped when the window closes. */
    public static final byte FLAG_RAW = 0;
    /** Flag of an open-window slot: beacon, kept when the window closes. */
    public static final byte FLAG_BEACON = 1;
    /** Flag of an open-window slot: raw token kept as memory (ratio 0). */
    public static final byte FLAG_KEEP = -1;

    private final BeaconConfig config;
    private final RatioSchedule schedule;
    private int received;
    private int consumed;
    private int winStart;
    private boolean prevFull = true;
    private int rem;
    private int winRatio;
    private byte[] flags = new byte[16];
    private int openSlots;
    private int memorySlots;
    private long steps;
    private long ratioPicks;
    private int fixedRatio = -1;
    private int lastRatio = -1;

    public BeaconStream(BeaconConfig config, RatioSchedule schedule) {
        this.config = config.requireSupported("beacon stream");
        this.schedule = schedule;
    }

    /** Adds {@code n} raw tokens to the stream (they are consumed by later steps). */
    public void append(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot append " + n + " tokens");
        }
        received = Math.addExact(received, n);
    }

    /** True while received tokens wait to be run through the model. */
    public boolean hasPending() {
        return consumed < received;
    }

    /** Cuts the next step and advances the cursors as if the model ran it (§2.6). */
    public StepPlan nextStep() {
        if (!hasPending()) {
            throw new IllegalStateException("no pending tokens: append before stepping");
        }
        int window = config.window();
        int end = winStart + window;
        boolean full = end <= received;
        if (!full) {
            end = received;
        }
        int n = end - consumed;
        if (prevFull) {
            openSlots = 0;
        }
        int ratio;
        int nb;
        int oldRem = rem;
        if (config.pos() == BeaconPos.INTERLEAVE) {
            if (prevFull) {
                winRatio = pickRatio();
            }
            ratio = winRatio;
            nb = ratio > 0 ? (n + rem) / ratio : -1;
            if (ratio > 0) {
                rem = (n + rem) % ratio;
            }
        } else if (full) {
            ratio = pickRatio();
            nb = ratio > 0 ? config.stride() / ratio : -1;
        } else {
            ratio = 0;
            nb = 0;
        }
        byte[] kinds = new byte[n + Math.max(nb, 0)];
        if (nb > 0 && config.pos() == BeaconPos.INTERLEAVE) {
            for (int i = 0; i < kinds.length; i++) {
                kinds[i] = i % (ratio + 1) == ratio - oldRem ? StepPlan.BEACON : StepPlan.RAW;
            }
        } else if (nb > 0) {
            Arrays.fill(kinds, n, kinds.length, StepPlan.BEACON);
        }
        int memoryBefore = memorySlots;
        int openBefore = openSlots;
        ensureFlags(openSlots + kinds.length);
        System.arraycopy(kinds, 0, flags, openSlots, kinds.length);
        openSlots += kinds.length;
        int[] keep = new int[0];
        if (full) {
            if (nb == -1) {
                // ratio 0: the first S entries of the window's flags become "kept raw" (§2.10)
                Arrays.fill(flags, 0, Math.min(config.stride(), openSlots), FLAG_KEEP);
            }
            int kept = 0;
            for (int i = 0; i < openSlots; i++) {
                kept += flags[i] != FLAG_RAW ? 1 : 0;
            }
            keep = new int[kept];
            for (int i = 0, j = 0; i < openSlots; i++) {
                if (flags[i] != FLAG_RAW) {
                    keep[j++] = i;
                }
            }
            memorySlots = Math.addExact(memorySlots, kept);
            openSlots = 0;
            winStart += config.stride();
        }
        StepPlan plan = new StepPlan(steps, consumed, n, ratio, full, memoryBefore, openBefore,
                kinds, keep);
        prevFull = full;
        consumed = end;
        steps++;
        return plan;
    }

    private int pickRatio() {
        int r = schedule.pick(ratioPicks, received, fixedRatio);
        ratioPicks++;
        if (schedule.isFixedPerSequence()) {
            fixedRatio = r;
        }
        lastRatio = r;
        return r;
    }

    private void ensureFlags(int n) {
        if (flags.length < n) {
            flags = Arrays.copyOf(flags, Math.max(n, flags.length * 2));
        }
    }

    /** Raw tokens received (and, between calls, consumed). */
    public int received() {
        return received;
    }

    /** Raw tokens already run through the model. */
    public int consumed() {
        return consumed;
    }

    /** Compacted memory slots (beacons of closed windows). */
    public int memorySlots() {
        return memorySlots;
    }

    /** Slots of the open window (raw tokens and, interleaved, its beacons so far). */
    public int openSlots() {
        return prevFull ? 0 : openSlots;
    }

    /** All key/value slots kept per layer: memory ++ open window (§2.11). */
    public int slots() {
        return memorySlots + openSlots();
    }

    /** Steps run so far. */
    public long steps() {
        return steps;
    }

    /** Ratio of the open window (interleave) or of the last window picked; -1 before any. */
    public int currentRatio() {
        return lastRatio;
    }

    /** Flags of the open window's slots (0 raw, 1 beacon, −1 kept raw), a copy. */
    public byte[] openFlags() {
        return Arrays.copyOf(flags, openSlots());
    }

    /** An independent copy with the same cursors (a question continues it; §2.12, Q7). */
    public BeaconStream copy() {
        BeaconStream c = new BeaconStream(config, schedule);
        c.received = received;
        c.consumed = consumed;
        c.winStart = winStart;
        c.prevFull = prevFull;
        c.rem = rem;
        c.winRatio = winRatio;
        c.flags = flags.clone();
        c.openSlots = openSlots;
        c.memorySlots = memorySlots;
        c.steps = steps;
        c.ratioPicks = ratioPicks;
        c.fixedRatio = fixedRatio;
        c.lastRatio = lastRatio;
        return c;
    }

    /** The cursors as strings, for the memory artifact's metadata (§2.13); flags go apart. */
    public Map<String, String> cursors() {
        if (hasPending()) {
            throw new IllegalStateException("cannot export a stream with " + (received - consumed)
                    + " tokens not yet run through the model");
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("received", Integer.toString(received));
        m.put("win_start", Integer.toString(winStart));
        m.put("prev_full", Boolean.toString(prevFull));
        m.put("rem", Integer.toString(rem));
        m.put("win_ratio", Integer.toString(winRatio));
        m.put("memory_slots", Integer.toString(memorySlots));
        m.put("open_slots", Integer.toString(openSlots()));
        m.put("steps", Long.toString(steps));
        m.put("ratio_picks", Long.toString(ratioPicks));
        m.put("fixed_ratio", Integer.toString(fixedRatio));
        m.put("last_ratio", Integer.toString(lastRatio));
        return m;
    }

    /**
     * Rebuilds a stream from {@link #cursors()} and {@link #openFlags()}; checks they agree
     * with each other and with the config, naming the field that does not.
     */
    public static BeaconStream restore(BeaconConfig config, RatioSchedule schedule,
            Map<String, String> cursors, byte[] openFlags, String source) {
        BeaconStream s = new BeaconStream(config, schedule);
        s.received = intField(cursors, "received", source);
        s.consumed = s.received;
        s.winStart = intField(cursors, "win_start", source);
        s.prevFull = Boolean.parseBoolean(field(cursors, "prev_full", source));
        s.rem = intField(cursors, "rem", source);
        s.winRatio = intField(cursors, "win_ratio", source);
        s.memorySlots = intField(cursors, "memory_slots", source);
        s.openSlots = intField(cursors, "open_slots", source);
        s.steps = Long.parseLong(field(cursors, "steps", source));
        s.ratioPicks = Long.parseLong(field(cursors, "ratio_picks", source));
        s.fixedRatio = intField(cursors, "fixed_ratio", source);
        s.lastRatio = intField(cursors, "last_ratio", source);
        if (openFlags.length != s.openSlots || (s.prevFull && s.openSlots != 0)) {
            throw new IllegalArgumentException(source + ": open_flags has " + openFlags.length
                    + " entries but the cursors say open_slots=" + s.openSlots + " prev_full="
                    + s.prevFull + "; the memory file is inconsistent, memorize again");
        }
        int open = s.received - s.winStart;
        if (open < 0 || open > config.window() || s.winStart % config.stride() != 0) {
            throw new IllegalArgumentException(source + ": win_start=" + s.winStart
                    + " does not fit received=" + s.received + " and beacon_window="
                    + config.window() + "; was this memory made with another beacon config?");
        }
        s.flags = Arrays.copyOf(openFlags, Math.max(16, openFlags.length));
        return s;
    }

    private static String field(Map<String, String> m, String key, String source) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException(source + ": cursor '" + key + "' is missing;"
                    + " the memory file is incomplete or from another version");
        }
        return v;
    }

    private static int intField(Map<String, String> m, String key, String source) {
        try {
            return Integer.parseInt(field(m, key, source));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": cursor '" + key + "' is not an"
                    + " integer: " + m.get(key), e);
        }
    }
}
