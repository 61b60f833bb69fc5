package org.memorag.engine.beacon;

/** Where beacons sit in a window: config.json {@code beacon_pos} (§2.3, §2.7). */
public enum BeaconPos {
    /** One beacon after every r raw tokens, inside the window (the checkpoints' value). */
    INTERLEAVE("interleave"),
    /** All W/r beacons after the window's raw tokens, in the step that completes the window. */
    APPEND("append");

    private final String key;

    BeaconPos(String key) {
        this.key = key;
    }

    /** The spelling used in config.json. */
    public String key() {
        return key;
    }

    /** Parses a config.json value; the error lists the accepted spellings. */
    public static BeaconPos parse(String value, String source) {
        for (BeaconPos p : values()) {
            if (p.key.equals(value)) {
                return p;
            }
        }
        throw new BeaconConfigException(source, "beacon_pos",
                "unknown value '" + value + "'; expected one of interleave, append");
    }
}
