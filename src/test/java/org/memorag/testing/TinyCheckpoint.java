package org.memorag.testing;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.memorag.engine.tensor.SafetensorsWriter;

/**
 * Writes real Hugging Face decoder folders for tests: config.json, model.safetensors (or two shards
 * plus model.safetensors.index.json), tokenizer.json (a WordLevel vocabulary DJL loads),
 * tokenizer_config.json and generation_config.json. Odd sizes as transformers' own tests use
 * (hidden 32, 4 heads, 2 KV heads, head_dim 8, intermediate 37, vocab 99), seeded random weights,
 * F32/F16/BF16, plus deliberate defects for the error tests.
 */
public final class TinyCheckpoint {
    public static final int VOCAB = 99;
    /** Ids of the added special tokens in the tiny vocabulary. */
    public static final int ENDOFTEXT = 96;
    public static final int IM_START = 97;
    public static final int IM_END = 98;

    private final String modelType;
    private int hidden = HIDDEN;
    private int heads = HEADS;
    private int kvHeads = KV_HEADS;
    private int intermediate = INTERMEDIATE;
    private int vocab = VOCAB;
    private int layers = 2;
    private String dtype = "F32";
    private long seed = 1;
    private boolean sharded;
    private boolean tied;
    private Integer slidingWindow;
    private int maxWindowLayers;
    private double ropeTheta = 10000.0;
    private double[] llama3Scaling;
    private final Set<String> drop = new HashSet<>();
    private final Map<String, long[]> reshape = new LinkedHashMap<>();
    private final Map<String, String> storeAs = new LinkedHashMap<>();
    private final List<String> extra = new ArrayList<>();

    private TinyCheckpoint(String modelType) {
        this.modelType = modelType;
    }

    public static TinyCheckpoint qwen2() {
        return new TinyCheckpoint("qwen2");
    }

    public static TinyCheckpoint llama() {
        return new TinyCheckpoint("llama");
    }

    public static TinyCheckpoint mistral() {
        return new TinyCheckpoint("mistral");
    }

    public TinyCheckpoint layers(int n) { layers = n; return this; }

    /** Other sizes (benchmarks); the tokenizer keeps its 99 entries, so use ids < 99 for text. */
    public TinyCheckpoint sizes(int hiddenSize, int numHeads, int numKvHeads, int intermediateSize,
            int vocabSize) {
        hidden = hiddenSize;
        heads = numHeads;
        kvHeads = numKvHeads;
        intermediate = intermediateSize;
        vocab = vocabSize;
        return this;
    }
    public TinyCheckpoint dtype(String d) { dtype = d; return this; }
    public TinyCheckpoint seed(long s) { seed = s; return this; }
    public TinyCheckpoint sharded(boolean s) { sharded = s; return this; }
    public TinyCheckpoint tied(boolean t) { tied = t; return this; }
    public TinyCheckpoint ropeTheta(double t) { ropeTheta = t; return this; }

    /**
     * rope_scaling {"rope_type": "llama3", factor, low/high_freq_factor,
     * original_max_position_embeddings}.
     */
    public TinyCheckpoint llama3RopeScaling(double factor, double low, double high,
            int originalMax) {
        llama3Scaling = new double[] {factor, low, high, originalMax};
        return this;
    }

    /** Mistral: window of every layer; Qwen2: use_sliding_window with layers >= maxWindowLayers. */
    public TinyCheckpoint slidingWindow(int window, int maxWindowLayers) {
        this.slidingWindow = window;
        this.maxWindowLayers = maxWindowLayers;
        return this;
    }

    /** Leaves tensor {@code name} out. */
    public TinyCheckpoint drop(String name) { drop.add(name); return this; }
    /** Writes tensor {@code name} with a wrong shape. */
    public TinyCheckpoint reshape(String name, long... shape) {
        reshape.put(name, shape);
        return this;
    }
    /** Writes tensor {@code name} with another dtype name (e.g. "I8", "F64"). */
    public TinyCheckpoint storeAs(String name, String d) { storeAs.put(name, d); return this; }
    /** Adds a tensor no architecture uses. */
    public TinyCheckpoint extra(String name) { extra.add(name); return this; }

    public static final int HIDDEN = 32;
    public static final int HEADS = 4;
    public static final int KV_HEADS = 2;
    public static final int HEAD_DIM = 8;
    public static final int INTERMEDIATE = 37;

    /** The tensors of this checkpoint, name -> shape, in a stable order. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("model.embed_tokens.weight", new long[] {vocab, hidden});
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            s.put(p + "input_layernorm.weight", new long[] {hidden});
            s.put(p + "self_attn.q_proj.weight", new long[] {heads * (hidden / heads), hidden});
            s.put(p + "self_attn.k_proj.weight", new long[] {kvHeads * (hidden / heads), hidden});
            s.put(p + "self_attn.v_proj.weight", new long[] {kvHeads * (hidden / heads), hidden});
            if (modelType.equals("qwen2")) {
                s.put(p + "self_attn.q_proj.bias", new long[] {heads * (hidden / heads)});
                s.put(p + "self_attn.k_proj.bias", new long[] {kvHeads * (hidden / heads)});
                s.put(p + "self_attn.v_proj.bias", new long[] {kvHeads * (hidden / heads)});
            }
            s.put(p + "self_attn.o_proj.weight", new long[] {hidden, heads * (hidden / heads)});
            s.put(p + "post_attention_layernorm.weight", new long[] {hidden});
            s.put(p + "mlp.gate_proj.weight", new long[] {intermediate, hidden});
            s.put(p + "mlp.up_proj.weight", new long[] {intermediate, hidden});
            s.put(p + "mlp.down_proj.weight", new long[] {hidden, intermediate});
        }
        s.put("model.norm.weight", new long[] {hidden});
        if (!tied) {
            s.put("lm_head.weight", new long[] {vocab, hidden});
        }
        return s;
    }

    /** Writes the folder into {@code dir} (created if needed) and returns it. */
    public Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Random rnd = new Random(seed);
        Map<String, long[]> shapes = shapes();
        for (String e : extra) {
            shapes.put(e, new long[] {3});
        }
        List<String> names = new ArrayList<>(shapes.keySet());
        SafetensorsWriter first = new SafetensorsWriter().metadata("format", "pt");
        SafetensorsWriter second = new SafetensorsWriter().metadata("format", "pt");
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            long[] shape = reshape.getOrDefault(name, shapes.get(name));
            float[] values = values(name, shape, rnd);
            boolean inSecond = sharded && i >= names.size() / 2;
            if (drop.contains(name)) {
                continue;
            }
            SafetensorsWriter w = inSecond ? second : first;
            String file = inSecond
                    ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors";
            weightMap.put(name, file);
            String d = storeAs.getOrDefault(name, dtype);
            if (d.equals("F32") || d.equals("F16") || d.equals("BF16")) {
                w.addFloats(name, d, shape, values);
            } else {
                int width = org.memorag.engine.tensor.TensorInfo.bytesPerElement(d);
                w.addRaw(name, d, shape, new byte[values.length * Math.max(width, 1)]);
            }
        }
        if (sharded) {
            first.writeTo(dir.resolve("model-00001-of-00002.safetensors"));
            second.writeTo(dir.resolve("model-00002-of-00002.safetensors"));
            Map<String, Object> index = new LinkedHashMap<>();
            index.put("metadata", Map.of("total_size", 0));
            index.put("weight_map", weightMap);
            Files.writeString(dir.resolve("model.safetensors.index.json"), gson().toJson(index));
        } else {
            first.writeTo(dir.resolve("model.safetensors"));
        }
        Files.writeString(dir.resolve("config.json"), gson().toJson(config()));
        Files.writeString(dir.resolve("generation_config.json"),
                gson().toJson(Map.of("eos_token_id", List.of(IM_END, ENDOFTEXT))));
        TinyTokenizer.write(dir);
        return dir;
    }

    private static float[] values(String name, long[] shape, Random rnd) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        boolean norm = name.endsWith("layernorm.weight") || name.equals("model.norm.weight");
        boolean embed = name.contains("embed_tokens");
        // 0.25 for the tiny sizes; ~1/sqrt(fan_in) for big ones so activations stay finite
        long fanIn = shape.length == 2 ? shape[1] : 1;
        double linearStd = 0.25 * Math.min(1.0, Math.sqrt(64.0 / fanIn));
        for (int i = 0; i < v.length; i++) {
            double g = rnd.nextGaussian();
            v[i] = (float) (norm ? 1.0 + 0.1 * g : embed ? g : linearStd * g);
        }
        return v;
    }

    private Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of(switch (modelType) {
            case "qwen2" -> "Qwen2ForCausalLM";
            case "mistral" -> "MistralForCausalLM";
            default -> "LlamaForCausalLM";
        }));
        c.put("model_type", modelType);
        c.put("hidden_size", hidden);
        c.put("intermediate_size", intermediate);
        c.put("num_attention_heads", heads);
        c.put("num_key_value_heads", kvHeads);
        c.put("num_hidden_layers", layers);
        c.put("vocab_size", vocab);
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_theta", ropeTheta);
        if (llama3Scaling != null) {
            Map<String, Object> rs = new LinkedHashMap<>();
            rs.put("rope_type", "llama3");
            rs.put("factor", llama3Scaling[0]);
            rs.put("low_freq_factor", llama3Scaling[1]);
            rs.put("high_freq_factor", llama3Scaling[2]);
            rs.put("original_max_position_embeddings", (int) llama3Scaling[3]);
            c.put("rope_scaling", rs);
        }
        c.put("max_position_embeddings", 4096);
        c.put("tie_word_embeddings", tied);
        c.put("hidden_act", "silu");
        c.put("bos_token_id", ENDOFTEXT);
        c.put("eos_token_id", IM_END);
        c.put("torch_dtype", switch (dtype) {
            case "F16" -> "float16";
            case "BF16" -> "bfloat16";
            default -> "float32";
        });
        if (modelType.equals("qwen2")) {
            c.put("use_sliding_window", slidingWindow != null);
            c.put("sliding_window", slidingWindow == null ? 4096 : slidingWindow);
            c.put("max_window_layers", slidingWindow == null ? layers : maxWindowLayers);
        } else if (modelType.equals("mistral")) {
            c.put("sliding_window", slidingWindow);
        }
        return c;
    }

    private static Gson gson() {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create();
    }
}
