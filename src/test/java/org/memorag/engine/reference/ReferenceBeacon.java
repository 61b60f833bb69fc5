package org.memorag.engine.reference;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole activation-beacon forward pass in plain double loops, written from BEACON_SPEC §2
 * (not from the production code, which it checks): Qwen2/Mistral decoder, beacon embedding and
 * q/k/v/o routing, windows with interleaved or appended beacons, pre-RoPE KV with RoPE re-applied
 * over {@code prefix ++ step} every step, full-coverage causal masks, compaction at window close.
 * One ratio, {@code W == S}, sink 0. Slow by design: tiny models only.
 */
public final class ReferenceBeacon {
    final int hidden;
    final int layers;
    final int heads;
    final int kvHeads;
    final int headDim;
    final int inter;
    final int vocab;
    final double theta;
    final double eps;
    final int window;
    final boolean append;
    final int ratio;
    final Set<String> beaconParam;
    private final Map<String, double[]> w;

    private ReferenceBeacon(JsonObject cfg, Map<String, double[]> tensors, int ratio) {
        hidden = cfg.get("hidden_size").getAsInt();
        layers = cfg.get("num_hidden_layers").getAsInt();
        heads = cfg.get("num_attention_heads").getAsInt();
        kvHeads = cfg.has("num_key_value_heads") ? cfg.get("num_key_value_heads").getAsInt()
                : heads;
        headDim = cfg.has("head_dim") ? cfg.get("head_dim").getAsInt() : hidden / heads;
        inter = cfg.get("intermediate_size").getAsInt();
        vocab = cfg.get("vocab_size").getAsInt();
        theta = cfg.has("rope_theta") ? cfg.get("rope_theta").getAsDouble() : 10000.0;
        eps = cfg.get("rms_norm_eps").getAsDouble();
        window = cfg.has("beacon_window") ? cfg.get("beacon_window").getAsInt() : 1024;
        append = cfg.has("beacon_pos") && cfg.get("beacon_pos").getAsString().equals("append");
        this.ratio = ratio;
        beaconParam = new HashSet<>();
        if (cfg.has("beacon_param")) {
            for (JsonElement e : cfg.getAsJsonArray("beacon_param")) {
                beaconParam.add(e.getAsString());
            }
        }
        w = tensors;
        if (cfg.has("tie_word_embeddings") && cfg.get("tie_word_embeddings").getAsBoolean()) {
            w.putIfAbsent("lm_head.weight", w.get("model.embed_tokens.weight"));
        }
    }

    /** A reference over tensors already in memory; ratio from the config's single ratio. */
    public static ReferenceBeacon of(JsonObject config, Map<String, double[]> tensors) {
        JsonElement r = config.get("beacon_ratio");
        int ratio = r.isJsonArray() ? ((JsonArray) r).get(0).getAsInt() : r.getAsInt();
        return new ReferenceBeacon(config, tensors, ratio);
    }

    /** Reads config.json and model.safetensors of a checkpoint folder. */
    public static ReferenceBeacon load(Path dir) throws IOException {
        JsonObject cfg = JsonParser.parseString(
                Files.readString(dir.resolve("config.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        return of(cfg, ReferenceSafetensors.read(dir.resolve("model.safetensors")));
    }

    /** The same model with {@code beacon_ratio = [r]}. */
    public ReferenceBeacon withRatio(int r, JsonObject config) {
        return new ReferenceBeacon(config, w, r);
    }

    /** Streaming state of one sequence: per layer pre-RoPE K/V of memory ++ open window. */
    public static final class State {
        /** [layer] -> slots, each {@code kvHeads*headDim} (keys before RoPE). */
        public final List<List<double[]>> keys = new ArrayList<>();
        public final List<List<double[]>> values = new ArrayList<>();
        /** Kind of each open-window slot: 't' raw, 'b' beacon. */
        public final StringBuilder openKinds = new StringBuilder();
        /** Compacted memory slots (the rest of {@link #keys} is the open window). */
        public int memory;
        public int received;
        int winStart;
        int rem;
        /** Every step's slot kinds, e.g. "ttttb", in order (for layout checks). */
        public final List<String> stepKinds = new ArrayList<>();

        public int slots() {
            return keys.get(0).size();
        }
    }

    public State newState() {
        State s = new State();
        for (int l = 0; l < layers; l++) {
            s.keys.add(new ArrayList<>());
            s.values.add(new ArrayList<>());
        }
        return s;
    }

    /**
     * Streams {@code ids} into the state (§2.6) and returns the logits of each raw token, in
     * order; beacon rows are never returned (§2.12).
     */
    public double[][] feed(State s, int[] ids) {
        double[][] out = new double[ids.length][];
        int done = 0;
        while (done < ids.length) {
            int room = s.winStart + window - s.received;          // raw tokens left in the window
            int n = Math.min(room, ids.length - done);
            boolean closes = n == room;
            List<Integer> seq = new ArrayList<>();                 // -1 = beacon
            List<Integer> rawRow = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                rawRow.add(seq.size());
                seq.add(ids[done + j]);
                if (!append && ratio > 0 && ++s.rem == ratio) {
                    seq.add(-1);                                   // a beacon after every r raw
                    s.rem = 0;
                }
            }
            if (append && closes && ratio > 0) {
                for (int m = 0; m < window / ratio; m++) {
                    seq.add(-1);
                }
            }
            double[][] logits = step(s, seq, rawRow);
            for (int j = 0; j < n; j++) {
                out[done + j] = logits[j];
            }
            done += n;
            s.received += n;
            if (closes) {
                compact(s);
                s.winStart += window;
            }
        }
        return out;
    }

    private void compact(State s) {
        for (int l = 0; l < layers; l++) {
            List<double[]> k = s.keys.get(l);
            List<double[]> v = s.values.get(l);
            List<double[]> keptK = new ArrayList<>(k.subList(0, s.memory));
            List<double[]> keptV = new ArrayList<>(v.subList(0, s.memory));
            for (int i = 0; i < s.openKinds.length(); i++) {
                if (ratio == 0 || s.openKinds.charAt(i) == 'b') {
                    keptK.add(k.get(s.memory + i));
                    keptV.add(v.get(s.memory + i));
                }
            }
            s.keys.set(l, keptK);
            s.values.set(l, keptV);
        }
        s.memory = s.slots();
        s.openKinds.setLength(0);
    }

    /** One step: sequence of ids (-1 = beacon) over the state's prefix; logits of raw rows. */
    private double[][] step(State s, List<Integer> seq, List<Integer> rawRows) {
        int t = seq.size();
        int prefix = s.slots();
        boolean hasBeacon = seq.contains(-1);
        StringBuilder kinds = new StringBuilder();
        double[][] x = new double[t][];
        for (int i = 0; i < t; i++) {
            int id = seq.get(i);
            kinds.append(id < 0 ? 'b' : 't');
            x[i] = id < 0 ? row("model.beacon_embed_tokens.weight", 0, hidden)
                    : row("model.embed_tokens.weight", id, hidden);
        }
        s.stepKinds.add(kinds.toString());
        s.openKinds.append(kinds);
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            double[][] h = new double[t][];
            double[][] q = new double[t][];
            double[][] k = new double[t][];
            double[][] v = new double[t][];
            for (int i = 0; i < t; i++) {
                boolean b = hasBeacon && seq.get(i) < 0;
                h[i] = rms(x[i], w.get(p + "input_layernorm.weight"));
                q[i] = proj(p, "q", b, h[i], heads * headDim);
                k[i] = proj(p, "k", b, h[i], kvHeads * headDim);
                v[i] = proj(p, "v", b, h[i], kvHeads * headDim);
                s.keys.get(l).add(k[i]);
                s.values.get(l).add(v[i]);
            }
            List<double[]> allK = s.keys.get(l);
            List<double[]> allV = s.values.get(l);
            int keys = prefix + t;
            double[][] rotK = new double[keys][];
            for (int j = 0; j < keys; j++) {
                rotK[j] = rope(allK.get(j), j, kvHeads);            // re-rotate everything
            }
            int group = heads / kvHeads;
            for (int i = 0; i < t; i++) {
                double[] rq = rope(q[i], prefix + i, heads);
                double[] att = new double[heads * headDim];
                for (int hd = 0; hd < heads; hd++) {
                    int kv = hd / group;
                    int visible = prefix + i + 1;                 // full-coverage: causal
                    double[] sc = new double[visible];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < visible; j++) {
                        double dot = 0;
                        for (int d = 0; d < headDim; d++) {
                            dot += rq[hd * headDim + d] * rotK[j][kv * headDim + d];
                        }
                        sc[j] = dot / Math.sqrt(headDim);
                        max = Math.max(max, sc[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < visible; j++) {
                        sc[j] = Math.exp(sc[j] - max);
                        sum += sc[j];
                    }
                    for (int j = 0; j < visible; j++) {
                        double a = sc[j] / sum;
                        double[] vj = allV.get(j);
                        for (int d = 0; d < headDim; d++) {
                            att[hd * headDim + d] += a * vj[kv * headDim + d];
                        }
                    }
                }
                boolean b = hasBeacon && seq.get(i) < 0;
                String o = b && beaconParam.contains("o") ? "self_attn.beacon_o_proj"
                        : "self_attn.o_proj";
                double[] attnOut = matVec(w.get(p + o + ".weight"), null, att, hidden);
                for (int d = 0; d < hidden; d++) {
                    x[i][d] += attnOut[d];
                }
                double[] h2 = rms(x[i], w.get(p + "post_attention_layernorm.weight"));
                double[] gate = matVec(w.get(p + "mlp.gate_proj.weight"), null, h2, inter);
                double[] up = matVec(w.get(p + "mlp.up_proj.weight"), null, h2, inter);
                for (int d = 0; d < inter; d++) {
                    gate[d] = gate[d] / (1 + Math.exp(-gate[d])) * up[d];
                }
                double[] down = matVec(w.get(p + "mlp.down_proj.weight"), null, gate, hidden);
                for (int d = 0; d < hidden; d++) {
                    x[i][d] += down[d];
                }
            }
        }
        double[][] logits = new double[rawRows.size()][];
        for (int j = 0; j < rawRows.size(); j++) {
            double[] hN = rms(x[rawRows.get(j)], w.get("model.norm.weight"));
            logits[j] = matVec(w.get("lm_head.weight"), null, hN, vocab);
        }
        return logits;
    }

    /**
     * The plain decoder (no beacons, full KV, positions 0..n−1): the oracle of §2.14, written
     * independently of the beacon loop above.
     */
    public double[][] plainLogits(int[] ids) {
        int n = ids.length;
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = row("model.embed_tokens.weight", ids[i], hidden);
        }
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            double[][] q = new double[n][];
            double[][] k = new double[n][];
            double[][] v = new double[n][];
            for (int i = 0; i < n; i++) {
                double[] h = rms(x[i], w.get(p + "input_layernorm.weight"));
                q[i] = rope(proj(p, "q", false, h, heads * headDim), i, heads);
                k[i] = rope(proj(p, "k", false, h, kvHeads * headDim), i, kvHeads);
                v[i] = proj(p, "v", false, h, kvHeads * headDim);
            }
            double[][] next = new double[n][];
            for (int i = 0; i < n; i++) {
                double[] att = new double[heads * headDim];
                for (int hd = 0; hd < heads; hd++) {
                    int kv = hd * kvHeads / heads;
                    double[] p2 = new double[i + 1];
                    double z = 0;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        for (int d = 0; d < headDim; d++) {
                            p2[j] += q[i][hd * headDim + d] * k[j][kv * headDim + d];
                        }
                        p2[j] /= Math.sqrt(headDim);
                        max = Math.max(max, p2[j]);
                    }
                    for (int j = 0; j <= i; j++) {
                        p2[j] = Math.exp(p2[j] - max);
                        z += p2[j];
                    }
                    for (int j = 0; j <= i; j++) {
                        for (int d = 0; d < headDim; d++) {
                            att[hd * headDim + d] += p2[j] / z * v[j][kv * headDim + d];
                        }
                    }
                }
                double[] y = x[i].clone();
                double[] o = matVec(w.get(p + "self_attn.o_proj.weight"), null, att, hidden);
                for (int d = 0; d < hidden; d++) {
                    y[d] += o[d];
                }
                double[] h2 = rms(y, w.get(p + "post_attention_layernorm.weight"));
                double[] g = matVec(w.get(p + "mlp.gate_proj.weight"), null, h2, inter);
                double[] u = matVec(w.get(p + "mlp.up_proj.weight"), null, h2, inter);
                for (int d = 0; d < inter; d++) {
                    g[d] = g[d] * u[d] / (1 + Math.exp(-g[d]));
                }
                double[] dn = matVec(w.get(p + "mlp.down_proj.weight"), null, g, hidden);
                for (int d = 0; d < hidden; d++) {
                    y[d] += dn[d];
                }
                next[i] = y;
            }
            x = next;
        }
        double[][] logits = new double[n][];
        for (int i = 0; i < n; i++) {
            logits[i] = matVec(w.get("lm_head.weight"), null, rms(x[i], w.get("model.norm.weight")),
                    vocab);
        }
        return logits;
    }

    /** q/k/v projection of one row; beacon rows use beacon_{x}_proj when x is in beacon_param. */
    private double[] proj(String prefix, String letter, boolean beaconRow, double[] h, int out) {
        String name = prefix + "self_attn."
                + (beaconRow && beaconParam.contains(letter) ? "beacon_" : "") + letter + "_proj";
        return matVec(w.get(name + ".weight"), w.get(name + ".bias"), h, out);
    }

    private double[] row(String name, int r, int width) {
        double[] m = w.get(name);
        double[] out = new double[width];
        System.arraycopy(m, r * width, out, 0, width);
        return out;
    }

    /** y = W x + b with W stored [out][in] row-major (the safetensors layout). */
    private static double[] matVec(double[] m, double[] bias, double[] x, int out) {
        int in = x.length;
        if (m.length != out * in) {
            throw new IllegalArgumentException("weight has " + m.length + " values, expected "
                    + out + "x" + in);
        }
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double acc = bias == null ? 0 : bias[o];
            for (int i = 0; i < in; i++) {
                acc += m[o * in + i] * x[i];
            }
            y[o] = acc;
        }
        return y;
    }

    private double[] rms(double[] x, double[] weight) {
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double inv = 1.0 / Math.sqrt(ss / x.length + eps);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * inv * weight[i];
        }
        return y;
    }

    /** Rotate-half RoPE of every head of a row at position {@code pos} (§2.1). */
    private double[] rope(double[] x, int pos, int nHeads) {
        double[] y = new double[x.length];
        int half = headDim / 2;
        for (int h = 0; h < nHeads; h++) {
            int o = h * headDim;
            for (int i = 0; i < half; i++) {
                double angle = pos * Math.pow(theta, -2.0 * i / headDim);
                double c = Math.cos(angle);
                double sn = Math.sin(angle);
                double a = x[o + i];
                double b = x[o + half + i];
                y[o + i] = a * c - b * sn;
                y[o + half + i] = b * c + a * sn;
            }
        }
        return y;
    }
}
