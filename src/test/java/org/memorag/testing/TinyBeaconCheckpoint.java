package org.memorag.testing;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes tiny random activation-beacon checkpoints (Qwen2 or Mistral layout) with the real
 * tensor names of BEACON_SPEC §2.2 and the beacon keys of §2.3 in config.json; odd sizes as
 * transformers' tests use (hidden 32, 4 heads, 2 KV heads, intermediate 37, vocab 99). Beacon
 * projections get their own random weights (so routing is observable, T9) unless
 * {@link #copyInit()} asks for upstream's copy initialisation.
 */
public final class TinyBeaconCheckpoint {
    private String arch = "qwen2";
    private int hidden = 32;
    private int layers = 2;
    private int heads = 4;
    private int kvHeads = 2;
    private int inter = 37;
    private int vocab = 99;
    private int window = 8;
    private List<Integer> ratios = List.of(4);
    private String pos = "interleave";
    private List<String> param = List.of("q", "k", "v");
    private long seed = 1;
    private boolean copyInit;
    private String dtype = "F32";
    private final Map<String, Object> extraConfig = new LinkedHashMap<>();
    private final java.util.Set<String> omit = new java.util.HashSet<>();
    private boolean tokenizer;

    public static TinyBeaconCheckpoint qwen2() {
        return new TinyBeaconCheckpoint();
    }

    public static TinyBeaconCheckpoint mistral() {
        TinyBeaconCheckpoint t = new TinyBeaconCheckpoint();
        t.arch = "mistral";
        return t;
    }

    public TinyBeaconCheckpoint layers(int n) { layers = n; return this; }
    public TinyBeaconCheckpoint hidden(int h, int nHeads, int nKv, int intermediate) {
        hidden = h; heads = nHeads; kvHeads = nKv; inter = intermediate; return this;
    }
    public TinyBeaconCheckpoint vocab(int v) { vocab = v; return this; }
    public TinyBeaconCheckpoint window(int w) { window = w; return this; }
    public TinyBeaconCheckpoint ratios(Integer... r) { ratios = List.of(r); return this; }
    public TinyBeaconCheckpoint pos(String p) { pos = p; return this; }
    public TinyBeaconCheckpoint param(String... letters) { param = List.of(letters); return this; }
    public TinyBeaconCheckpoint seed(long s) { seed = s; return this; }
    public TinyBeaconCheckpoint dtype(String d) { dtype = d; return this; }
    /** Beacon weights copied from the ordinary ones (upstream's init of missing weights). */
    public TinyBeaconCheckpoint copyInit() { copyInit = true; return this; }
    /** Adds or overrides a config.json key (e.g. a bad beacon_attn). */
    public TinyBeaconCheckpoint config(String key, Object value) {
        extraConfig.put(key, value); return this;
    }
    /**
     * Also writes the engine's tiny tokenizer (tokenizer.json, tokenizer_config.json; vocab 99)
     * and a generation_config.json with its EOS ids, so the folder loads as a language model.
     */
    public TinyBeaconCheckpoint withTokenizer() { tokenizer = true; return this; }
    /** Leaves a tensor out of the safetensors file (missing-weight tests). */
    public TinyBeaconCheckpoint omit(String tensorName) { omit.add(tensorName); return this; }

    public int headDim() {
        return hidden / heads;
    }

    /** The config.json content. */
    public JsonObject configJson() {
        JsonObject c = new JsonObject();
        JsonArray archs = new JsonArray();
        archs.add(arch.equals("qwen2") ? "Qwen2ForCausalLM" : "MistralForCausalLM");
        c.add("architectures", archs);
        c.addProperty("model_type", arch);
        c.addProperty("hidden_size", hidden);
        c.addProperty("num_hidden_layers", layers);
        c.addProperty("num_attention_heads", heads);
        c.addProperty("num_key_value_heads", kvHeads);
        c.addProperty("intermediate_size", inter);
        c.addProperty("vocab_size", vocab);
        c.addProperty("max_position_embeddings", 4096);
        c.addProperty("rope_theta", 10000.0);
        c.addProperty("rms_norm_eps", 1e-6);
        c.addProperty("tie_word_embeddings", false);
        c.addProperty("hidden_act", "silu");
        c.addProperty("bos_token_id", 1);
        c.addProperty("eos_token_id", 2);
        c.addProperty("torch_dtype", "float32");
        c.addProperty("beacon_window", window);
        c.addProperty("beacon_stride", window);
        c.addProperty("beacon_attn", "full-coverage");
        JsonArray r = new JsonArray();
        ratios.forEach(r::add);
        c.add("beacon_ratio", r);
        c.addProperty("beacon_ratio_mix", "step-random");
        JsonArray p = new JsonArray();
        param.forEach(p::add);
        c.add("beacon_param", p);
        c.addProperty("beacon_embed_init", "eos");
        c.addProperty("beacon_sink_size", 0);
        c.addProperty("beacon_attend_prev", true);
        c.addProperty("beacon_pos", pos);
        c.addProperty("beacon_parallel_window", 1);
        for (Map.Entry<String, Object> e : extraConfig.entrySet()) {
            c.add(e.getKey(), new GsonBuilder().create().toJsonTree(e.getValue()));
        }
        return c;
    }

    /** Tensor name -> shape, in file order. */
    public Map<String, int[]> shapes() {
        Map<String, int[]> s = new LinkedHashMap<>();
        int hd = headDim();
        s.put("model.embed_tokens.weight", new int[] {vocab, hidden});
        s.put("model.beacon_embed_tokens.weight", new int[] {1, hidden});
        boolean bias = arch.equals("qwen2");
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            s.put(p + "input_layernorm.weight", new int[] {hidden});
            for (String x : List.of("q", "k", "v", "o")) {
                int out = x.equals("q") ? heads * hd : x.equals("o") ? hidden : kvHeads * hd;
                int in = x.equals("o") ? heads * hd : hidden;
                for (String prefix : param.contains(x) ? List.of("", "beacon_") : List.of("")) {
                    s.put(p + "self_attn." + prefix + x + "_proj.weight", new int[] {out, in});
                    if (bias && !x.equals("o")) {
                        s.put(p + "self_attn." + prefix + x + "_proj.bias", new int[] {out});
                    }
                }
            }
            s.put(p + "post_attention_layernorm.weight", new int[] {hidden});
            s.put(p + "mlp.gate_proj.weight", new int[] {inter, hidden});
            s.put(p + "mlp.up_proj.weight", new int[] {inter, hidden});
            s.put(p + "mlp.down_proj.weight", new int[] {hidden, inter});
        }
        s.put("model.norm.weight", new int[] {hidden});
        s.put("lm_head.weight", new int[] {vocab, hidden});
        omit.forEach(s::remove);
        return s;
    }

    /** Random values for every tensor (deterministic per seed), rounded to the dtype. */
    public Map<String, float[]> tensors() {
        Random rnd = new Random(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : shapes().entrySet()) {
            String name = e.getKey();
            int n = 1;
            for (int d : e.getValue()) {
                n *= d;
            }
            float[] v = new float[n];
            boolean norm = name.endsWith("layernorm.weight") || name.equals("model.norm.weight");
            for (int i = 0; i < n; i++) {
                v[i] = (float) (norm ? 1 + 0.1 * rnd.nextGaussian() : 0.15 * rnd.nextGaussian());
            }
            out.put(name, v);
        }
        if (copyInit) {
            for (String name : List.copyOf(out.keySet())) {
                if (name.contains(".beacon_") && name.contains("_proj.")) {
                    out.put(name, out.get(name.replace(".beacon_", ".")).clone());
                }
            }
            float[] emb = out.get("model.embed_tokens.weight");
            float[] eos = new float[hidden];
            System.arraycopy(emb, 2 * hidden, eos, 0, hidden);
            out.put("model.beacon_embed_tokens.weight", eos);
        }
        if (dtype.equals("BF16")) {
            for (float[] v : out.values()) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = Float.intBitsToFloat(bf16(v[i]) << 16);
                }
            }
        }
        return out;
    }

    /** The tensors as doubles (what the float64 references take). */
    public Map<String, double[]> doubles() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : tensors().entrySet()) {
            double[] d = new double[e.getValue().length];
            for (int i = 0; i < d.length; i++) {
                d[i] = e.getValue()[i];
            }
            out.put(e.getKey(), d);
        }
        return out;
    }

    /** Writes config.json and model.safetensors into {@code dir}; returns {@code dir}. */
    public Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(configJson()),
                StandardCharsets.UTF_8);
        Map<String, int[]> shapes = shapes();
        Map<String, float[]> tensors = tensors();
        int size = dtype.equals("BF16") ? 2 : 4;
        JsonObject header = new JsonObject();
        long offset = 0;
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", dtype);
            JsonArray shape = new JsonArray();
            for (int d : e.getValue()) {
                shape.add(d);
            }
            t.add("shape", shape);
            long bytes = (long) tensors.get(e.getKey()).length * size;
            JsonArray off = new JsonArray();
            off.add(offset);
            off.add(offset + bytes);
            t.add("data_offsets", off);
            header.add(e.getKey(), t);
            offset += bytes;
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - h.length % 8) % 8;
        ByteBuffer buf = ByteBuffer.allocate((int) (8 + h.length + pad + offset))
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length + pad).put(h);
        for (int i = 0; i < pad; i++) {
            buf.put((byte) ' ');
        }
        for (String name : shapes.keySet()) {
            for (float f : tensors.get(name)) {
                if (size == 2) {
                    buf.putShort((short) bf16(f));
                } else {
                    buf.putFloat(f);
                }
            }
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("model.safetensors"))) {
            out.write(buf.array());
        }
        if (tokenizer) {
            TinyTokenizer.write(dir);
            Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": ["
                    + TinyCheckpoint.IM_END + ", " + TinyCheckpoint.ENDOFTEXT + "]}");
        }
        return dir;
    }

    private static int bf16(float f) {
        int bits = Float.floatToIntBits(f);
        return ((bits + 0x7FFF + ((bits >> 16) & 1)) >>> 16) & 0xFFFF;
    }
}
