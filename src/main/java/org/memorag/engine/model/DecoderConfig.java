package org.memorag.engine.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.memorag.engine.ops.RopeScaling;

/**
 * Hyper-parameters of a decoder, read from a Hugging Face config.json. {@code layerTypes} holds
 * "full_attention" or "sliding_attention" per layer, resolved as transformers does: Qwen2 slides
 * only when use_sliding_window is true and only in layers {@code >= max_window_layers}; Mistral
 * slides in every layer when sliding_window is set; Llama never. {@code ropeScaling} is null
 * unless config.json asks for the "llama3" scaling (the only rope_scaling supported).
 */
public record DecoderConfig(String modelType, int hiddenSize, int numHiddenLayers,
        int numAttentionHeads, int numKeyValueHeads, int headDim, int intermediateSize,
        int vocabSize, double ropeTheta, RopeScaling ropeScaling, double rmsNormEps,
        boolean tieWordEmbeddings,
        boolean attentionBias, OptionalInt slidingWindow, List<String> layerTypes,
        int maxPositionEmbeddings, OptionalInt bosTokenId, List<Integer> eosTokenIds)
        implements Serializable {
    public static final List<String> SUPPORTED = List.of("qwen2", "llama", "mistral");

    public DecoderConfig {
        layerTypes = List.copyOf(layerTypes);
        eosTokenIds = List.copyOf(eosTokenIds);
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("config.json: num_attention_heads "
                    + numAttentionHeads
                    + " is not a multiple of num_key_value_heads " + numKeyValueHeads);
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("config.json: head_dim " + headDim
                    + " must be even for rotary embeddings");
        }
        if (layerTypes.size() != numHiddenLayers) {
            throw new IllegalArgumentException("config.json: layer_types has " + layerTypes.size()
                    + " entries for num_hidden_layers " + numHiddenLayers);
        }
        if (layerTypes.contains("sliding_attention") && slidingWindow.isEmpty()) {
            throw new IllegalArgumentException("config.json: layer_types asks for"
                    + " sliding_attention but sliding_window is null");
        }
    }

    /**
     * The window of layer {@code i} (keys visible per query, self included), empty for full
     * attention.
     */
    public OptionalInt window(int layer) {
        return layerTypes.get(layer).equals("sliding_attention")
                ? slidingWindow : OptionalInt.empty();
    }

    public int queryGroups() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** Reads config.json; {@code file} is named in every error. */
    public static DecoderConfig fromJson(Path file, JsonObject j) {
        String type = str(j, "model_type", null);
        if (type == null) {
            throw new CheckpointException(file, "no \"model_type\"; supported decoders: "
                    + SUPPORTED);
        }
        if (!SUPPORTED.contains(type)) {
            throw new CheckpointException(file, "model_type '" + type
                    + "' is not a supported decoder;"
                    + " supported: " + SUPPORTED);
        }
        RopeScaling ropeScaling = null;
        JsonElement scaling = j.get("rope_scaling");
        if (scaling != null && !scaling.isJsonNull()) {
            JsonObject s = scaling.getAsJsonObject();
            String kind = str(s, "rope_type", str(s, "type", "default"));
            if (kind.equals("llama3")) {
                try {
                    ropeScaling = new RopeScaling(s.get("factor").getAsDouble(),
                            s.get("low_freq_factor").getAsDouble(),
                            s.get("high_freq_factor").getAsDouble(),
                            s.get("original_max_position_embeddings").getAsInt());
                } catch (RuntimeException e) {
                    throw new CheckpointException(file, "rope_scaling llama3: " + e.getMessage(),
                            e);
                }
            } else if (!kind.equals("default")) {
                throw new CheckpointException(file, "rope_scaling of type '" + kind
                        + "' is not implemented; supported: none, default, llama3");
            }
        }
        if (bool(j, "mlp_bias", false)) {
            throw new CheckpointException(file,
                    "mlp_bias=true is not supported (no known Llama/Mistral"
                    + " checkpoint uses it)");
        }
        int hidden = req(file, j, "hidden_size");
        int heads = req(file, j, "num_attention_heads");
        int layers = req(file, j, "num_hidden_layers");
        int kvHeads = j.has("num_key_value_heads") && !j.get("num_key_value_heads").isJsonNull()
                ? j.get("num_key_value_heads").getAsInt() : heads;
        int headDim = j.has("head_dim") && !j.get("head_dim").isJsonNull()
                ? j.get("head_dim").getAsInt() : hidden / heads;
        Integer window = j.has("sliding_window") && !j.get("sliding_window").isJsonNull()
                ? j.get("sliding_window").getAsInt() : null;
        List<String> types = new ArrayList<>();
        if (j.has("layer_types") && j.get("layer_types").isJsonArray()) {
            for (JsonElement e : j.getAsJsonArray("layer_types")) {
                types.add(e.getAsString());
            }
        } else {
            boolean slides = switch (type) {
                case "qwen2" -> window != null && bool(j, "use_sliding_window", false);
                case "mistral" -> window != null;
                default -> false;
            };
            int first = type.equals("qwen2") ? intOr(j, "max_window_layers", layers) : 0;
            for (int i = 0; i < layers; i++) {
                types.add(slides && i >= first ? "sliding_attention" : "full_attention");
            }
        }
        boolean bias = type.equals("qwen2") || bool(j, "attention_bias", false);
        try {
            return new DecoderConfig(type, hidden, layers, heads, kvHeads, headDim,
                    req(file, j, "intermediate_size"), req(file, j, "vocab_size"),
                    j.has("rope_theta") ? j.get("rope_theta").getAsDouble() : 10000.0, ropeScaling,
                    j.has("rms_norm_eps") ? j.get("rms_norm_eps").getAsDouble() : 1e-6,
                    bool(j, "tie_word_embeddings", false), bias,
                    window == null ? OptionalInt.empty() : OptionalInt.of(window), types,
                    intOr(j, "max_position_embeddings", 32768), ids(j, "bos_token_id").stream()
                            .mapToInt(Integer::intValue).findFirst(), ids(j, "eos_token_id"));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, e.getMessage(), e);
        }
    }

    /** An int or a list of ints (as eos_token_id may be), empty when absent or null. */
    public static List<Integer> ids(JsonObject j, String key) {
        List<Integer> out = new ArrayList<>();
        JsonElement e = j.get(key);
        if (e == null || e.isJsonNull()) {
            return out;
        }
        if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            a.forEach(x -> out.add(x.getAsInt()));
        } else {
            out.add(e.getAsInt());
        }
        return out;
    }

    private static int req(Path file, JsonObject j, String key) {
        JsonElement e = j.get(key);
        if (e == null || e.isJsonNull()) {
            throw new CheckpointException(file, "missing \"" + key + "\"");
        }
        return e.getAsInt();
    }

    private static int intOr(JsonObject j, String key, int dflt) {
        JsonElement e = j.get(key);
        return e == null || e.isJsonNull() ? dflt : e.getAsInt();
    }

    private static boolean bool(JsonObject j, String key, boolean dflt) {
        JsonElement e = j.get(key);
        return e == null || e.isJsonNull() ? dflt : e.getAsBoolean();
    }

    private static String str(JsonObject j, String key, String dflt) {
        JsonElement e = j.get(key);
        return e == null || e.isJsonNull() ? dflt : e.getAsString();
    }
}
