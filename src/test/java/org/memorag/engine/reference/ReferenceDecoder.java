package org.memorag.engine.reference;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An independent float64 Qwen2 / Llama / Mistral forward in plain loops, written from
 * modeling_qwen2.py and sharing no code with the engine (its own safetensors parsing and half
 * conversion too). Full recomputation every call: slow, obvious, only for tiny checkpoints.
 */
public final class ReferenceDecoder {
    private final Map<String, double[]> w = new HashMap<>();
    private final Map<String, long[]> shapes = new HashMap<>();
    private final String type;
    private final int hidden, heads, kvHeads, headDim, inter, vocab, layers;
    private final double eps, theta;
    private final boolean tied;
    private final int[] window;     // per layer, 0 = full attention
    private final double[] invFreq;

    private ReferenceDecoder(Path dir) throws IOException {
        JsonObject c = JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject();
        type = c.get("model_type").getAsString();
        hidden = c.get("hidden_size").getAsInt();
        heads = c.get("num_attention_heads").getAsInt();
        kvHeads = c.get("num_key_value_heads").getAsInt();
        headDim = hidden / heads;
        inter = c.get("intermediate_size").getAsInt();
        vocab = c.get("vocab_size").getAsInt();
        layers = c.get("num_hidden_layers").getAsInt();
        eps = c.get("rms_norm_eps").getAsDouble();
        theta = c.get("rope_theta").getAsDouble();
        tied = c.get("tie_word_embeddings").getAsBoolean();
        invFreq = new double[headDim / 2];
        JsonElement rs = c.get("rope_scaling");
        for (int i = 0; i < invFreq.length; i++) {
            double f = Math.pow(theta, -2.0 * i / headDim);
            if (rs != null && !rs.isJsonNull()) {
                // Llama 3.1 (transformers _compute_llama3_parameters), restated
                JsonObject r = rs.getAsJsonObject();
                double factor = r.get("factor").getAsDouble();
                double lo = r.get("low_freq_factor").getAsDouble();
                double hi = r.get("high_freq_factor").getAsDouble();
                double old = r.get("original_max_position_embeddings").getAsDouble();
                double wl = 2 * Math.PI / f;
                if (wl > old / lo) {
                    f = f / factor;
                } else if (wl >= old / hi) {
                    double t = (old / wl - lo) / (hi - lo);
                    f = (1 - t) * f / factor + t * f;
                }
            }
            invFreq[i] = f;
        }
        window = new int[layers];
        JsonElement sw = c.get("sliding_window");
        boolean hasWindow = sw != null && !sw.isJsonNull();
        for (int l = 0; l < layers; l++) {
            if (type.equals("mistral") && hasWindow) {
                window[l] = sw.getAsInt();
            } else if (type.equals("qwen2") && hasWindow
                    && c.get("use_sliding_window").getAsBoolean()
                    && l >= c.get("max_window_layers").getAsInt()) {
                window[l] = sw.getAsInt();
            }
        }
        if (Files.exists(dir.resolve("model.safetensors"))) {
            read(dir.resolve("model.safetensors"));
        } else {
            JsonObject map = JsonParser.parseString(Files.readString(dir.resolve("model.safetensors.index.json")))
                    .getAsJsonObject().getAsJsonObject("weight_map");
            java.util.Set<String> files = new java.util.TreeSet<>();
            map.entrySet().forEach(e -> files.add(e.getValue().getAsString()));
            for (String f : files) {
                read(dir.resolve(f));
            }
        }
    }

    public static ReferenceDecoder load(Path dir) throws IOException {
        return new ReferenceDecoder(dir);
    }

    private void read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) b.getLong(0);
        String header = new String(all, 8, n, StandardCharsets.UTF_8);
        JsonObject h = JsonParser.parseString(header).getAsJsonObject();
        int base = 8 + n;
        for (Map.Entry<String, JsonElement> e : h.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonObject t = e.getValue().getAsJsonObject();
            String dt = t.get("dtype").getAsString();
            int begin = t.getAsJsonArray("data_offsets").get(0).getAsInt();
            int end = t.getAsJsonArray("data_offsets").get(1).getAsInt();
            var sh = t.getAsJsonArray("shape");
            long[] shape = new long[sh.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = sh.get(i).getAsLong();
            }
            int width = dt.equals("F32") ? 4 : 2;
            double[] v = new double[(end - begin) / width];
            for (int i = 0; i < v.length; i++) {
                int at = base + begin + i * width;
                v[i] = switch (dt) {
                    case "F32" -> b.getFloat(at);
                    case "BF16" -> Float.intBitsToFloat((b.getShort(at) & 0xFFFF) << 16);
                    case "F16" -> half(b.getShort(at) & 0xFFFF);
                    default -> throw new IOException("reference: dtype " + dt);
                };
            }
            w.put(e.getKey(), v);
            shapes.put(e.getKey(), shape);
        }
    }

    /** binary16 by its definition: (-1)^s * 2^(e-15) * (1 + m/1024), subnormals 2^-14 * m/1024. */
    private static double half(int h) {
        int s = h >> 15;
        int e = (h >> 10) & 0x1F;
        int m = h & 0x3FF;
        double mag = e == 0
                ? Math.pow(2, -14) * (m / 1024.0) : Math.pow(2, e - 15) * (1 + m / 1024.0);
        return s == 1 ? -mag : mag;
    }

    /** Logits at every position of {@code ids} (positions 0..n-1). */
    public double[][] promptLogits(int[] ids) {
        int n = ids.length;
        double[][] x = new double[n][];
        double[] embed = w.get("model.embed_tokens.weight");
        for (int t = 0; t < n; t++) {
            x[t] = java.util.Arrays.copyOfRange(embed, ids[t] * hidden, (ids[t] + 1) * hidden);
        }
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            double[][] h = new double[n][];
            for (int t = 0; t < n; t++) {
                h[t] = rms(x[t], w.get(p + "input_layernorm.weight"));
            }
            double[][] q = new double[n][], k = new double[n][], v = new double[n][];
            for (int t = 0; t < n; t++) {
                q[t] = rope(linear(h[t], p + "self_attn.q_proj"), heads, t);
                k[t] = rope(linear(h[t], p + "self_attn.k_proj"), kvHeads, t);
                v[t] = linear(h[t], p + "self_attn.v_proj");
            }
            int group = heads / kvHeads;
            for (int t = 0; t < n; t++) {
                double[] att = new double[heads * headDim];
                for (int hd = 0; hd < heads; hd++) {
                    int kv = hd / group;
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= t; j++) {
                        boolean visible = window[l] == 0 || j > t - window[l];
                        double dot = 0;
                        for (int d = 0; d < headDim; d++) {
                            dot += q[t][hd * headDim + d] * k[j][kv * headDim + d];
                        }
                        s[j] = visible ? dot / Math.sqrt(headDim) : Double.NEGATIVE_INFINITY;
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= t; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j <= t; j++) {
                        for (int d = 0; d < headDim; d++) {
                            att[hd * headDim + d] += s[j] / sum * v[j][kv * headDim + d];
                        }
                    }
                }
                double[] o = linear(att, p + "self_attn.o_proj");
                for (int i = 0; i < hidden; i++) {
                    x[t][i] += o[i];
                }
                double[] h2 = rms(x[t], w.get(p + "post_attention_layernorm.weight"));
                double[] g = linear(h2, p + "mlp.gate_proj");
                double[] u = linear(h2, p + "mlp.up_proj");
                double[] a = new double[inter];
                for (int i = 0; i < inter; i++) {
                    a[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
                }
                double[] down = linear(a, p + "mlp.down_proj");
                for (int i = 0; i < hidden; i++) {
                    x[t][i] += down[i];
                }
            }
        }
        double[][] out = new double[n][];
        for (int t = 0; t < n; t++) {
            double[] hn = rms(x[t], w.get("model.norm.weight"));
            out[t] = matVec(w.get(tied ? "model.embed_tokens.weight" : "lm_head.weight"), vocab,
                    hidden, hn);
        }
        return out;
    }

    private double[] rms(double[] x, double[] weight) {
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double inv = 1 / Math.sqrt(ss / x.length + eps);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * inv * weight[i];
        }
        return y;
    }

    private double[] linear(double[] x, String prefix) {
        long[] s = shapes.get(prefix + ".weight");
        double[] y = matVec(w.get(prefix + ".weight"), (int) s[0], (int) s[1], x);
        double[] bias = w.get(prefix + ".bias");
        if (bias != null) {
            for (int i = 0; i < y.length; i++) {
                y[i] += bias[i];
            }
        }
        return y;
    }

    private static double[] matVec(double[] m, int rows, int cols, double[] x) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += m[r * cols + c] * x[c];
            }
            y[r] = s;
        }
        return y;
    }

    /** Rotate-half RoPE at position {@code pos} for each of {@code nHeads} heads. */
    private double[] rope(double[] x, int nHeads, int pos) {
        double[] y = new double[x.length];
        int half = headDim / 2;
        for (int hd = 0; hd < nHeads; hd++) {
            int o = hd * headDim;
            for (int i = 0; i < half; i++) {
                double angle = pos * invFreq[i];
                double cos = Math.cos(angle), sin = Math.sin(angle);
                double a = x[o + i], b = x[o + i + half];
                y[o + i] = a * cos - b * sin;
                y[o + i + half] = b * cos + a * sin;
            }
        }
        return y;
    }
}
