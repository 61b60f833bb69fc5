package org.memorag.testing;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny tokenizers-library JSON (WordLevel model, whitespace pre-tokenizer): id 0 "<unk>", ids
 * 1..95 the words "w1".."w95", ids 96..98 the special tokens "<|endoftext|>", "<|im_start|>",
 * "<|im_end|>". With no decoder the library joins tokens with spaces. Plus a tokenizer_config.json
 * with a ChatML template, as Qwen2 ships.
 */
public final class TinyTokenizer {
    public static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role']"
            + " + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private TinyTokenizer() {}

    /** The word of id {@code i} in 1..95. */
    public static String word(int i) {
        return "w" + i;
    }

    public static void write(Path dir) throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        vocab.put("<unk>", 0);
        for (int i = 1; i <= 95; i++) {
            vocab.put(word(i), i);
        }
        String[] specials = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
        List<Map<String, Object>> added = new ArrayList<>();
        Map<String, Object> decoderMap = new LinkedHashMap<>();
        for (int i = 0; i < specials.length; i++) {
            int id = 96 + i;
            vocab.put(specials[i], id);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", id);
            t.put("content", specials[i]);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            added.add(t);
            Map<String, Object> d = new LinkedHashMap<>(t);
            d.remove("id");
            decoderMap.put(String.valueOf(id), d);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "WordLevel");
        model.put("vocab", vocab);
        model.put("unk_token", "<unk>");
        Map<String, Object> tok = new LinkedHashMap<>();
        tok.put("version", "1.0");
        tok.put("truncation", null);
        tok.put("padding", null);
        tok.put("added_tokens", added);
        tok.put("normalizer", null);
        tok.put("pre_tokenizer", Map.of("type", "Whitespace"));
        tok.put("post_processor", null);
        tok.put("decoder", null);
        tok.put("model", model);
        var gson = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
        Files.writeString(dir.resolve("tokenizer.json"), gson.toJson(tok));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("added_tokens_decoder", decoderMap);
        cfg.put("bos_token", null);
        cfg.put("eos_token", "<|im_end|>");
        cfg.put("pad_token", "<|endoftext|>");
        cfg.put("chat_template", CHATML);
        cfg.put("model_max_length", 4096);
        cfg.put("tokenizer_class", "Qwen2Tokenizer");
        Files.writeString(dir.resolve("tokenizer_config.json"), gson.toJson(cfg));
    }
}
