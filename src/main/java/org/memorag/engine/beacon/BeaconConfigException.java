package org.memorag.engine.beacon;

/**
 * A beacon setting that is malformed, inconsistent or not supported by this port. The message
 * names the source (config.json path or CLI flag), the key and what to do.
 */
public final class BeaconConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String problem;

    public BeaconConfigException(String source, String key, String problem) {
        super(source + ": " + key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** The same problem reported against another source (e.g. the config.json path). */
    public BeaconConfigException from(String source) {
        return new BeaconConfigException(source, key, problem);
    }

    /** What is wrong, without source and key. */
    public String problem() {
        return problem;
    }

    /** The config key (or flag) at fault, e.g. {@code beacon_attn}. */
    public String key() {
        return key;
    }
}
