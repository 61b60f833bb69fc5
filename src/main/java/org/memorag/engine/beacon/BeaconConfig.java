package org.memorag.engine.beacon;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The activation-beacon settings of a memory checkpoint, read from the beacon keys of its
 * config.json (BEACON_SPEC §2.3). Defaults are the upstream configuration classes' defaults
 * (configuration_qwen2.py / configuration_mistral.py); the checks are upstream's
 * {@code Memory._post_validation} plus a few this port needs ({@link #requireSupported()}).
 *
 * @param window         {@code beacon_window}: raw tokens per window W
 * @param stride         {@code beacon_stride}: raw tokens a window advances S (<= W)
 * @param attn           {@code beacon_attn}
 * @param ratios         {@code beacon_ratio}: allowed compression ratios (0 = no compression)
 * @param ratioMix       {@code beacon_ratio_mix}: how one ratio is picked from several
 * @param param          {@code beacon_param}: projections with beacon weights
 * @param embedInit      {@code beacon_embed_init}: eos | bos (only matters for copy-init)
 * @param sinkSize       {@code beacon_sink_size}: leading KV slots kept forever
 * @param attendPrev     {@code beacon_attend_prev}
 * @param pos            {@code beacon_pos}
 * @param parallelWindow {@code beacon_parallel_window}
 */
public record BeaconConfig(int window, int stride, BeaconAttn attn, List<Integer> ratios,
        RatioMix ratioMix, Set<BeaconProjection> param, String embedInit, int sinkSize,
        boolean attendPrev, BeaconPos pos, int parallelWindow) {

    /** The ratio MemoRAG runs the memory checkpoints with: {@code MemoRAG(beacon_ratio=4)}. */
    public static final int MEMORAG_DEFAULT_RATIO = 4;

    /** Every beacon key of §2.3; anything else starting with "beacon_" is rejected. */
    public static final List<String> KEYS = List.of("beacon_window", "beacon_stride",
            "beacon_attn", "beacon_ratio", "beacon_ratio_mix", "beacon_param",
            "beacon_embed_init", "beacon_sink_size", "beacon_attend_prev", "beacon_pos",
            "beacon_parallel_window");

    public BeaconConfig {
        String src = "beacon config";
        if (window < 1) {
            throw new BeaconConfigException(src, "beacon_window", "must be >= 1, got " + window);
        }
        if (stride < 1 || stride > window) {
            throw new BeaconConfigException(src, "beacon_stride", "must be within [1, "
                    + "beacon_window=" + window + "], got " + stride);
        }
        if (ratios == null || ratios.isEmpty()) {
            throw new BeaconConfigException(src, "beacon_ratio", "needs at least one ratio");
        }
        ratios = List.copyOf(ratios);
        for (int r : ratios) {
            if (r < 0) {
                throw new BeaconConfigException(src, "beacon_ratio",
                        "ratios must be >= 0 (0 = no compression), got " + r);
            }
        }
        if (ratios.size() == 1 && ratios.get(0) > 0 && !divides(ratios.get(0), stride)) {
            throw new BeaconConfigException(src, "beacon_ratio", "ratio " + ratios.get(0)
                    + " must divide beacon_stride " + stride + " (the windows' beacon count"
                    + " S/r must be whole); choose a divisor of " + stride);
        }
        if (allowedRatios(ratios, stride).isEmpty()) {
            throw new BeaconConfigException(src, "beacon_ratio", "none of " + ratios
                    + " is 0 or a divisor of beacon_stride " + stride);
        }
        param = param.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(param));
        if (!embedInit.equals("eos") && !embedInit.equals("bos")) {
            throw new BeaconConfigException(src, "beacon_embed_init",
                    "unknown value '" + embedInit + "'; expected eos or bos");
        }
        if (sinkSize < 0) {
            throw new BeaconConfigException(src, "beacon_sink_size", "must be >= 0");
        }
        if (pos == BeaconPos.INTERLEAVE && window != stride) {
            throw new BeaconConfigException(src, "beacon_stride", "interleave requires"
                    + " beacon_window == beacon_stride, got " + window + " and " + stride);
        }
        if (parallelWindow < 1) {
            throw new BeaconConfigException(src, "beacon_parallel_window", "must be >= 1");
        }
    }

    /** The upstream class defaults (no config.json keys at all). */
    public static BeaconConfig defaults() {
        return new BeaconConfig(1024, 1024, BeaconAttn.FULL_COVERAGE, List.of(2, 4, 8, 16, 32),
                new RatioMix(RatioMix.Kind.STEP_RANDOM, 0), Set.of(), "eos", 0, true,
                BeaconPos.INTERLEAVE, 1);
    }

    /** True when config.json carries beacon keys: how a memory checkpoint is recognised. */
    public static boolean isBeaconConfig(JsonObject configJson) {
        for (String key : configJson.keySet()) {
            if (key.startsWith("beacon_")) {
                return true;
            }
        }
        if (configJson.has("architectures") && configJson.get("architectures").isJsonArray()) {
            for (JsonElement a : configJson.getAsJsonArray("architectures")) {
                if (a.isJsonPrimitive() && a.getAsString().toLowerCase().contains("beacon")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Reads the beacon keys of a config.json (absent keys take the class defaults).
     * [I] BEACON_SPEC Appendix C: the checkpoints' config.json was not readable when the spec was
     * written, so an unexpected beacon key fails loudly instead of being ignored.
     */
    public static BeaconConfig fromJson(JsonObject json, String source) {
        for (String key : json.keySet()) {
            if (key.startsWith("beacon_") && !KEYS.contains(key)) {
                throw new BeaconConfigException(source, key, "unknown beacon key (BEACON_SPEC"
                        + " §2.3 knows " + String.join(", ", KEYS) + "); this checkpoint may use"
                        + " a beacon variant the port does not implement");
            }
        }
        BeaconConfig d = defaults();
        int window = intKey(json, "beacon_window", d.window(), source);
        int stride = intKey(json, "beacon_stride", d.stride(), source);
        BeaconAttn attn = json.has("beacon_attn")
                ? BeaconAttn.parse(stringKey(json, "beacon_attn", source), source) : d.attn();
        List<Integer> ratios = json.has("beacon_ratio") ? ratioList(json, source) : d.ratios();
        RatioMix mix = json.has("beacon_ratio_mix")
                ? RatioMix.parse(stringKey(json, "beacon_ratio_mix", source), source)
                : d.ratioMix();
        Set<BeaconProjection> param = json.has("beacon_param") ? params(json, source) : d.param();
        String embedInit = json.has("beacon_embed_init")
                ? stringKey(json, "beacon_embed_init", source) : d.embedInit();
        int sink = intKey(json, "beacon_sink_size", d.sinkSize(), source);
        boolean attendPrev = json.has("beacon_attend_prev")
                ? boolKey(json, "beacon_attend_prev", source) : d.attendPrev();
        BeaconPos pos = json.has("beacon_pos")
                ? BeaconPos.parse(stringKey(json, "beacon_pos", source), source) : d.pos();
        int parallel = intKey(json, "beacon_parallel_window", d.parallelWindow(), source);
        try {
            return new BeaconConfig(window, stride, attn, ratios, mix, param, embedInit, sink,
                    attendPrev, pos, parallel);
        } catch (BeaconConfigException e) {
            throw e.from(source);
        }
    }

    /**
     * Fails unless this port implements the setting (§2.3 "Port scope"): full-coverage only,
     * no sink, one window per pass, and W == S (upstream's S < W branch is broken, Q33).
     */
    public BeaconConfig requireSupported(String source) {
        if (attn != BeaconAttn.FULL_COVERAGE) {
            throw new BeaconConfigException(source, "beacon_attn", "unsupported beacon_attn '"
                    + attn.key() + "': this port implements full-coverage (the value MemoRAG's"
                    + " memory checkpoints were trained with)");
        }
        if (sinkSize != 0) {
            throw new BeaconConfigException(source, "beacon_sink_size", "unsupported value "
                    + sinkSize + ": this port implements beacon_sink_size 0 (the checkpoints')");
        }
        if (parallelWindow != 1) {
            throw new BeaconConfigException(source, "beacon_parallel_window", "unsupported value "
                    + parallelWindow + ": this port processes one window per pass (set 1)");
        }
        if (stride != window) {
            throw new BeaconConfigException(source, "beacon_stride", "unsupported beacon_stride "
                    + stride + " < beacon_window " + window + ": this port needs them equal");
        }
        return this;
    }

    /** This config with {@code beacon_ratio = [ratio]} (the pipeline's / CLI's override). */
    public BeaconConfig withRatio(int ratio) {
        return new BeaconConfig(window, stride, attn, List.of(ratio), ratioMix, param, embedInit,
                sinkSize, attendPrev, pos, parallelWindow);
    }

    /** The ratios a window may use: upstream drops r > S and r > 0 not dividing S (§2.4). */
    public List<Integer> allowedRatios() {
        return ratios.size() == 1 ? ratios : allowedRatios(ratios, stride);
    }

    /** The single ratio of a one-element list; fails for lists. */
    public int singleRatio() {
        if (ratios.size() != 1) {
            throw new IllegalStateException("beacon_ratio has several values " + ratios);
        }
        return ratios.get(0);
    }

    /** Key/value pairs for the memory artifact and the manifest. */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("beacon_window", Integer.toString(window));
        m.put("beacon_stride", Integer.toString(stride));
        m.put("beacon_attn", attn.key());
        m.put("beacon_ratio", ratios.toString());
        m.put("beacon_ratio_mix", ratioMix.key());
        StringBuilder letters = new StringBuilder();
        for (BeaconProjection p : new TreeSet<>(param)) {
            letters.append(p.letter());
        }
        m.put("beacon_param", letters.toString());
        m.put("beacon_sink_size", Integer.toString(sinkSize));
        m.put("beacon_attend_prev", Boolean.toString(attendPrev));
        m.put("beacon_pos", pos.key());
        return m;
    }

    private static List<Integer> allowedRatios(List<Integer> ratios, int stride) {
        List<Integer> out = new ArrayList<>();
        for (int r : ratios) {
            if (r == 0 || divides(r, stride)) {
                out.add(r);
            }
        }
        return out;
    }

    private static boolean divides(int r, int stride) {
        return r <= stride && stride % r == 0;
    }

    private static int intKey(JsonObject json, String key, int dflt, String source) {
        if (!json.has(key) || json.get(key).isJsonNull()) {
            return dflt;
        }
        JsonElement e = json.get(key);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double v = e.getAsDouble();
            if (v == Math.rint(v) && Math.abs(v) < Integer.MAX_VALUE) {
                return (int) v;
            }
        }
        throw new BeaconConfigException(source, key, "expected an integer, got " + e);
    }

    private static String stringKey(JsonObject json, String key, String source) {
        JsonElement e = json.get(key);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        throw new BeaconConfigException(source, key, "expected a string, got " + e);
    }

    private static boolean boolKey(JsonObject json, String key, String source) {
        JsonElement e = json.get(key);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
            return e.getAsBoolean();
        }
        throw new BeaconConfigException(source, key, "expected true or false, got " + e);
    }

    private static List<Integer> ratioList(JsonObject json, String source) {
        JsonElement e = json.get("beacon_ratio");
        JsonArray arr = new JsonArray();
        if (e.isJsonArray()) {
            arr = e.getAsJsonArray();
        } else {
            arr.add(e);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonElement r : arr) {
            JsonObject one = new JsonObject();
            one.add("beacon_ratio", r);
            out.add(intKey(one, "beacon_ratio", 0, source));
        }
        return out;
    }

    private static Set<BeaconProjection> params(JsonObject json, String source) {
        JsonElement e = json.get("beacon_param");
        Set<BeaconProjection> out = EnumSet.noneOf(BeaconProjection.class);
        if (!e.isJsonArray()) {
            throw new BeaconConfigException(source, "beacon_param",
                    "expected a list of letters like [\"q\", \"k\", \"v\"], got " + e);
        }
        for (JsonElement p : e.getAsJsonArray()) {
            if (!(p instanceof JsonPrimitive prim) || !prim.isString()) {
                throw new BeaconConfigException(source, "beacon_param",
                        "expected letters among q, k, v, o, got " + p);
            }
            out.add(BeaconProjection.parse(prim.getAsString(), source));
        }
        return out;
    }
}
