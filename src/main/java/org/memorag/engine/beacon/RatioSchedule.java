package org.memorag.engine.beacon;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the compression ratio of each new window (upstream {@code Memory.set_compression_ratio},
 * BEACON_SPEC §2.4). Deterministic: a one-element list always gives that ratio; random kinds draw
 * from a hash of (seed, window number), so a restored memory continues exactly (quirk Q37: no
 * RNG whose state depends on earlier calls). Immutable: the caller passes the
 * number of ratios picked so far and the sequence's fixed pick, both kept in the stream state.
 */
public final class RatioSchedule {
    private static final Logger log = LoggerFactory.getLogger(RatioSchedule.class);

    private final List<Integer> allowed;
    private final RatioMix mix;
    private final long seed;
    private final long positionLimit;
    private final int window;

    /**
     * @param positionLimit {@code max_position_embeddings × rope_scaling.factor} (adapt-N only)
     * @param seed          per-document seed for step-random / instance-random lists
     */
    public RatioSchedule(BeaconConfig config, long positionLimit, long seed) {
        this.allowed = config.allowedRatios();
        if (allowed.size() < config.ratios().size()) {
            log.warn("beacon_ratio {} filtered to {} (ratios above beacon_stride={} or not"
                    + " dividing it are dropped, as upstream does)", config.ratios(), allowed,
                    config.stride());
        }
        this.mix = config.ratioMix();
        this.seed = seed;
        this.positionLimit = positionLimit;
        this.window = config.window();
    }

    /** The ratios windows may use, in config order. */
    public List<Integer> allowed() {
        return allowed;
    }

    /** True when every window gets the same ratio whatever happens (one allowed ratio). */
    public boolean isSingle() {
        return allowed.size() == 1;
    }

    /**
     * The ratio of the next window.
     *
     * @param picksSoFar  windows that already picked a ratio in this sequence
     * @param received    raw tokens received so far (adapt-N target)
     * @param fixedChoice the sequence's instance-random / adapt pick, or -1 if not made yet
     */
    public int pick(long picksSoFar, long received, int fixedChoice) {
        if (allowed.size() == 1) {
            return allowed.get(0);
        }
        switch (mix.kind()) {
            case SEQUENCE:
                return allowed.get((int) (picksSoFar % allowed.size()));
            case STEP_RANDOM:
                return allowed.get(draw(picksSoFar));
            case INSTANCE_RANDOM:
                return fixedChoice >= 0 ? fixedChoice : allowed.get(draw(0));
            case ADAPT:
            default:
                return fixedChoice >= 0 ? fixedChoice : adapt(received + mix.adaptTokens());
        }
    }

    /** True when the pick is made once per sequence and must be remembered. */
    public boolean isFixedPerSequence() {
        return allowed.size() > 1 && (mix.kind() == RatioMix.Kind.INSTANCE_RANDOM
                || mix.kind() == RatioMix.Kind.ADAPT);
    }

    private int adapt(long target) {
        int best = -1;
        long bestCap = Long.MAX_VALUE;
        int largest = allowed.get(0);
        for (int r : allowed) {
            long cap = BeaconMath.capacity(positionLimit, window, r);
            if (cap >= target && cap < bestCap) {
                best = r;
                bestCap = cap;
            }
            largest = Math.max(largest, r);
        }
        return best >= 0 ? best : largest;
    }

    private int draw(long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) Long.remainderUnsigned(z, allowed.size());
    }
}
