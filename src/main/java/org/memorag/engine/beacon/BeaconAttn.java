package org.memorag.engine.beacon;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Who a beacon may attend to inside its window: config.json {@code beacon_attn} (§2.3, §2.8). */
public enum BeaconAttn {
    /** Plain causal attention inside the step; the value MemoRAG's checkpoints use. */
    FULL_COVERAGE("full-coverage"),
    STEP_EXPANSION("step-expansion"),
    SEGMENTATION("segmentation");

    private final String key;

    BeaconAttn(String key) {
        this.key = key;
    }

    /** The spelling used in config.json. */
    public String key() {
        return key;
    }

    /** Parses a config.json value; the error lists the accepted spellings. */
    public static BeaconAttn parse(String value, String source) {
        for (BeaconAttn a : values()) {
            if (a.key.equals(value)) {
                return a;
            }
        }
        throw new BeaconConfigException(source, "beacon_attn", "unknown value '" + value
                + "'; expected one of " + Arrays.stream(values()).map(BeaconAttn::key)
                        .collect(Collectors.joining(", ")));
    }
}
