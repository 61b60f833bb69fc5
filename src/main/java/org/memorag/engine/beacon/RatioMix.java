package org.memorag.engine.beacon;

/**
 * How a ratio is picked from a list of several: config.json {@code beacon_ratio_mix} (§2.4).
 * {@code adaptTokens} is the N of {@code adapt-N} (0 for the other kinds).
 */
public record RatioMix(Kind kind, int adaptTokens) {
    /** The four upstream kinds. */
    public enum Kind { STEP_RANDOM, INSTANCE_RANDOM, SEQUENCE, ADAPT }

    public RatioMix {
        if (adaptTokens < 0) {
            throw new IllegalArgumentException("adapt-N needs N >= 0, got " + adaptTokens);
        }
    }

    /** Parses {@code step-random | instance-random | sequence | adapt-<N>}. */
    public static RatioMix parse(String value, String source) {
        switch (value) {
            case "step-random": return new RatioMix(Kind.STEP_RANDOM, 0);
            case "instance-random": return new RatioMix(Kind.INSTANCE_RANDOM, 0);
            case "sequence": return new RatioMix(Kind.SEQUENCE, 0);
            default:
                if (value.startsWith("adapt-")) {
                    try {
                        int n = Integer.parseInt(value.substring("adapt-".length()));
                        if (n >= 0) {
                            return new RatioMix(Kind.ADAPT, n);
                        }
                    } catch (NumberFormatException e) {
                        // falls through to the error below, which names the bad value
                    }
                }
                throw new BeaconConfigException(source, "beacon_ratio_mix", "unknown value '"
                        + value + "'; expected step-random, instance-random, sequence or"
                        + " adapt-<N> with N a non-negative integer");
        }
    }

    /** The config.json spelling. */
    public String key() {
        return switch (kind) {
            case STEP_RANDOM -> "step-random";
            case INSTANCE_RANDOM -> "instance-random";
            case SEQUENCE -> "sequence";
            case ADAPT -> "adapt-" + adaptTokens;
        };
    }
}
