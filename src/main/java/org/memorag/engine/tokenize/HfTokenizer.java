package org.memorag.engine.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tokenizer of a Hugging Face folder: DJL's HuggingFaceTokenizer over tokenizer.json with
 * explicit options (no special tokens added, no truncation, no padding: DJL's defaults pad and
 * truncate to 512), plus what tokenizer_config.json says about special tokens and the chat
 * template. Thread-safe (the native tokenizer is immutable once loaded).
 */
public final class HfTokenizer implements AutoCloseable {
    public static final String TOKENIZER = "tokenizer.json";
    public static final String CONFIG = "tokenizer_config.json";

    private final Path dir;
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> addedTokens;   // content -> id, from both files
    private final Set<Integer> specialIds;
    private final JsonObject config;                  // tokenizer_config.json, or empty

    private HfTokenizer(Path dir, HuggingFaceTokenizer tokenizer, Map<String, Integer> addedTokens,
            Set<Integer> specialIds, JsonObject config) {
        this.dir = dir;
        this.tokenizer = tokenizer;
        this.addedTokens = addedTokens;
        this.specialIds = specialIds;
        this.config = config;
    }

    /** Loads {@code dir}/tokenizer.json (required) and tokenizer_config.json (optional). */
    public static HfTokenizer load(Path dir) {
        Path file = dir.resolve(TOKENIZER);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": missing; the model folder needs the fast"
                    + " tokenizer file tokenizer.json (save it with tokenizer.save_pretrained)");
        }
        Map<String, Integer> added = new LinkedHashMap<>();
        Set<Integer> special = new TreeSet<>();
        JsonObject cfg = new JsonObject();
        try {
            JsonObject tj = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            if (tj.has("added_tokens") && tj.get("added_tokens").isJsonArray()) {
                for (JsonElement e : tj.getAsJsonArray("added_tokens")) {
                    JsonObject t = e.getAsJsonObject();
                    int id = t.get("id").getAsInt();
                    added.put(t.get("content").getAsString(), id);
                    if (t.has("special") && t.get("special").getAsBoolean()) {
                        special.add(id);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a tokenizers JSON file: "
                    + e.getMessage(), e);
        }
        Path cfgFile = dir.resolve(CONFIG);
        if (Files.isRegularFile(cfgFile)) {
            try {
                cfg = JsonParser.parseString(Files.readString(cfgFile)).getAsJsonObject();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(cfgFile + ": not a JSON object: "
                        + e.getMessage(), e);
            }
            if (cfg.has("added_tokens_decoder") && cfg.get("added_tokens_decoder").isJsonObject()) {
                JsonObject decoder = cfg.getAsJsonObject("added_tokens_decoder");
                for (Map.Entry<String, JsonElement> e : decoder.entrySet()) {
                    JsonObject t = e.getValue().getAsJsonObject();
                    int id = Integer.parseInt(e.getKey());
                    added.put(t.get("content").getAsString(), id);
                    if (t.has("special") && t.get("special").getAsBoolean()) {
                        special.add(id);
                    }
                }
            }
        }
        Map<String, String> options = Map.of(
                "addSpecialTokens", "false",
                "truncation", "false",
                "padding", "false",
                "maxLength", String.valueOf(Integer.MAX_VALUE / 2));
        HuggingFaceTokenizer tok;
        try {
            tok = HuggingFaceTokenizer.newInstance(file, options);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": DJL could not load the tokenizer: "
                    + e.getMessage(), e);
        }
        return new HfTokenizer(dir, tok, added, Collections.unmodifiableSet(special), cfg);
    }

    /** Ids of {@code text} exactly as given: no BOS/EOS, no template. */
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** Text of {@code ids}, skipping special tokens (transformers skip_special_tokens=True). */
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, true);
    }

    /** Ids marked special in tokenizer.json or tokenizer_config.json. */
    public Set<Integer> specialIds() {
        return specialIds;
    }

    /** Id of an added token such as "<|im_end|>", if the files declare it. */
    public OptionalInt addedTokenId(String content) {
        Integer id = addedTokens.get(content);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** A special token string from tokenizer_config.json ("bos_token", "eos_token", ...). */
    public Optional<String> specialToken(String key) {
        JsonElement e = config.get(key);
        if (e == null || e.isJsonNull()) {
            return Optional.empty();
        }
        if (e.isJsonObject()) {
            JsonElement c = e.getAsJsonObject().get("content");
            return c == null ? Optional.empty() : Optional.of(c.getAsString());
        }
        return Optional.of(e.getAsString());
    }

    /** The id of a special token named in tokenizer_config.json (e.g. "eos_token"). */
    public OptionalInt specialTokenId(String key) {
        return specialToken(key).map(this::addedTokenId).orElse(OptionalInt.empty());
    }

    /** The chat_template string of tokenizer_config.json (the default one when it is a list). */
    public Optional<String> chatTemplate() {
        JsonElement e = config.get("chat_template");
        if (e == null || e.isJsonNull()) {
            return Optional.empty();
        }
        if (e.isJsonArray()) {
            for (JsonElement t : e.getAsJsonArray()) {
                JsonObject o = t.getAsJsonObject();
                if (o.get("name").getAsString().equals("default")) {
                    return Optional.of(o.get("template").getAsString());
                }
            }
            return Optional.empty();
        }
        return Optional.of(e.getAsString());
    }

    /** tokenizer_config.json as parsed (a copy; empty when the file is absent). */
    public JsonObject config() {
        return config.deepCopy();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
