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
 * An independent float64 BERT / XLM-RoBERTa encoder forward in plain loops, written from
 * modeling_bert.py and sharing no code with the engine (its own F32 safetensors parsing, its own
 * erf). One unpadded sequence at a time, token_type_ids all 0. Only for tiny checkpoints.
 */
public final class ReferenceBert {
    private final Map<String, double[]> w = new HashMap<>();
    private final int hidden, heads, headDim, inter, layers, pad;
    private final double eps;
    private final boolean roberta;

    private ReferenceBert(Path dir) throws IOException {
        JsonObject c = JsonParser.parseString(Files.readString(dir.resolve("config.json")))
                .getAsJsonObject();
        roberta = c.get("model_type").getAsString().equals("xlm-roberta");
        hidden = c.get("hidden_size").getAsInt();
        heads = c.get("num_attention_heads").getAsInt();
        headDim = hidden / heads;
        inter = c.get("intermediate_size").getAsInt();
        layers = c.get("num_hidden_layers").getAsInt();
        eps = c.get("layer_norm_eps").getAsDouble();
        pad = c.get("pad_token_id").getAsInt();
        read(dir.resolve("model.safetensors"));
    }

    public static ReferenceBert load(Path dir) throws IOException {
        return new ReferenceBert(dir);
    }

    private void read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) b.getLong(0);
        JsonObject header = JsonParser.parseString(new String(all, 8, n, StandardCharsets.UTF_8))
                .getAsJsonObject();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonObject t = e.getValue().getAsJsonObject();
            if (!t.get("dtype").getAsString().equals("F32")) {
                throw new IOException("ReferenceBert reads F32 only: " + e.getKey());
            }
            long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong();
            long end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
            double[] v = new double[(int) ((end - begin) / 4)];
            for (int i = 0; i < v.length; i++) {
                v[i] = b.getFloat((int) (8 + n + begin + 4L * i));
            }
            w.put(e.getKey(), v);
        }
    }

    private double[] t(String name) {
        double[] v = w.get(name);
        if (v == null) {
            throw new IllegalArgumentException("reference: no tensor " + name);
        }
        return v;
    }

    /** Last hidden states [T][hidden] of one sequence. */
    public double[][] hidden(long[] ids) {
        int n = ids.length;
        double[] word = t("embeddings.word_embeddings.weight");
        double[] pos = t("embeddings.position_embeddings.weight");
        double[] type = t("embeddings.token_type_embeddings.weight");
        double[][] x = new double[n][hidden];
        for (int i = 0; i < n; i++) {
            int p = roberta ? pad + 1 + i : i;   // create_position_ids_from_input_ids, no padding
            for (int d = 0; d < hidden; d++) {
                x[i][d] = word[(int) ids[i] * hidden + d] + pos[p * hidden + d] + type[d];
            }
            x[i] = norm(x[i], "embeddings.LayerNorm");
        }
        for (int l = 0; l < layers; l++) {
            String p = "encoder.layer." + l + ".";
            double[][] q = linear(x, p + "attention.self.query", hidden, hidden);
            double[][] k = linear(x, p + "attention.self.key", hidden, hidden);
            double[][] v = linear(x, p + "attention.self.value", hidden, hidden);
            double[][] ctx = new double[n][hidden];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    double[] s = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        double dot = 0;
                        for (int d = 0; d < headDim; d++) {
                            dot += q[i][h * headDim + d] * k[j][h * headDim + d];
                        }
                        s[j] = dot / Math.sqrt(headDim);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j < n; j++) {
                        for (int d = 0; d < headDim; d++) {
                            ctx[i][h * headDim + d] += s[j] / sum * v[j][h * headDim + d];
                        }
                    }
                }
            }
            double[][] a = linear(ctx, p + "attention.output.dense", hidden, hidden);
            for (int i = 0; i < n; i++) {
                for (int d = 0; d < hidden; d++) {
                    a[i][d] += x[i][d];
                }
                x[i] = norm(a[i], p + "attention.output.LayerNorm");
            }
            double[][] f = linear(x, p + "intermediate.dense", inter, hidden);
            for (double[] row : f) {
                for (int d = 0; d < inter; d++) {
                    row[d] = 0.5 * row[d] * (1 + erf(row[d] / Math.sqrt(2)));  // exact GELU
                }
            }
            double[][] o = linear(f, p + "output.dense", hidden, inter);
            for (int i = 0; i < n; i++) {
                for (int d = 0; d < hidden; d++) {
                    o[i][d] += x[i][d];
                }
                x[i] = norm(o[i], p + "output.LayerNorm");
            }
        }
        return x;
    }

    /** CLS or mean pooled, L2-normalised vector. */
    public double[] pooled(long[] ids, boolean cls) {
        double[][] x = hidden(ids);
        double[] v = new double[hidden];
        for (int i = 0; i < (cls ? 1 : x.length); i++) {
            for (int d = 0; d < hidden; d++) {
                v[d] += x[i][d] / (cls ? 1 : x.length);
            }
        }
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        for (int d = 0; d < hidden; d++) {
            v[d] /= Math.sqrt(s);
        }
        return v;
    }

    /** y = x W^T + b with W stored [out, in] as in PyTorch. */
    private double[][] linear(double[][] x, String name, int out, int in) {
        double[] wt = t(name + ".weight");
        double[] bias = t(name + ".bias");
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = bias[o];
                for (int k = 0; k < in; k++) {
                    s += x[i][k] * wt[o * in + k];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    private double[] norm(double[] x, String name) {
        double[] g = t(name + ".weight");
        double[] b = t(name + ".bias");
        double mean = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean) / x.length;
        }
        double[] y = new double[x.length];
        for (int d = 0; d < x.length; d++) {
            y[d] = (x[d] - mean) / Math.sqrt(var + eps) * g[d] + b[d];
        }
        return y;
    }

    /** erf by its Taylor series for |x| < 3 and a Lentz continued fraction for erfc beyond. */
    public static double erf(double x) {
        double a = Math.abs(x);
        double r;
        if (a < 3) {
            double term = a;
            double sum = a;
            for (int k = 1; k < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); k++) {
                term *= -a * a / k;
                sum += term / (2 * k + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + 1/2/(a + 1/(a + 3/2/(a + 2/(a + ...)))))
            double tiny = 1e-300;
            double f = a;
            double c = a;
            double d = 0;
            for (int k = 1; k < 300; k++) {
                double an = k / 2.0;
                d = a + an * d;
                d = Math.abs(d) < tiny ? tiny : d;
                c = a + an / c;
                c = Math.abs(c) < tiny ? tiny : c;
                d = 1 / d;
                double delta = c * d;
                f *= delta;
                if (Math.abs(delta - 1) < 1e-16) {
                    break;
                }
            }
            r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }
}
