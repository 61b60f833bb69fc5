package org.memorag.engine.beacon;

/**
 * A projection that can have beacon-specific weights: a letter of config.json
 * {@code beacon_param} (§2.2). Beacon rows use {@code self_attn.beacon_<x>_proj} for the letters
 * listed, the ordinary projection otherwise.
 */
public enum BeaconProjection {
    Q("q"), K("k"), V("v"), O("o");

    private final String letter;

    BeaconProjection(String letter) {
        this.letter = letter;
    }

    /** The letter used in config.json. */
    public String letter() {
        return letter;
    }

    /** Safetensors name of this beacon projection's weight in layer {@code layer}. */
    public String weightName(int layer) {
        return "model.layers." + layer + ".self_attn.beacon_" + letter + "_proj.weight";
    }

    /** Safetensors name of this beacon projection's bias (q/k/v of Qwen2 only). */
    public String biasName(int layer) {
        return "model.layers." + layer + ".self_attn.beacon_" + letter + "_proj.bias";
    }

    /** Parses one letter of {@code beacon_param}. */
    public static BeaconProjection parse(String value, String source) {
        for (BeaconProjection p : values()) {
            if (p.letter.equals(value)) {
                return p;
            }
        }
        throw new BeaconConfigException(source, "beacon_param",
                "unknown projection '" + value + "'; expected letters among q, k, v, o");
    }
}
