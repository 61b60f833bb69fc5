package org.memorag.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.memorag.testing.TinyCheckpoint;

/**
 * The benchmark's ~100M-parameter random Qwen2-shaped checkpoint: Qwen2-0.5B's layout scaled down
 * (hidden 768, 12 layers, 12 heads of 64, 4 KV heads, intermediate 2048, vocab 32000, tied
 * lm_head, F32), written by {@link TinyCheckpoint}'s writer, then given a context length that
 * fits the longest prompt and a byte-level BPE tokenizer.json, the tokenizer type both DJL's
 * tokenizers and Jlama's BPETokenizer load (the bench feeds token ids, so the vocabulary only has
 * to load, not to make sense). Also writes the shared prompt ids every engine reads.
 */
final class BenchCheckpoint {
    static final int HIDDEN = 768;
    static final int LAYERS = 12;
    static final int HEADS = 12;
    static final int KV_HEADS = 4;
    static final int INTERMEDIATE = 2048;
    static final int VOCAB = 32000;
    static final int CONTEXT = 32768;
    /** The special tokens are the last three ids of the vocabulary. */
    static final int ENDOFTEXT = VOCAB - 3;
    static final int IM_END = VOCAB - 1;
    /** File of little-endian int32 prompt ids next to the checkpoint; a run uses a prefix. */
    static final String PROMPT_FILE = "prompt.i32";
    /** Marker written last: a folder without it is rewritten. */
    private static final String DONE = "bench-checkpoint.done";

    private BenchCheckpoint() {}

    /** Writes the folder unless a complete one is there; returns it. */
    static Path ensure(Path dir, int promptTokens) throws IOException {
        if (Files.exists(dir.resolve(DONE)) && Files.exists(dir.resolve(PROMPT_FILE))
                && Files.size(dir.resolve(PROMPT_FILE)) >= 4L * promptTokens) {
            return dir;
        }
        TinyCheckpoint.qwen2().sizes(HIDDEN, HEADS, KV_HEADS, INTERMEDIATE, VOCAB).layers(LAYERS)
                .tied(true).seed(1).writeTo(dir);
        Path config = dir.resolve("config.json");
        JsonObject c = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
        c.addProperty("max_position_embeddings", CONTEXT);
        c.addProperty("sliding_window", CONTEXT);
        c.addProperty("max_window_layers", LAYERS);
        c.addProperty("bos_token_id", ENDOFTEXT);
        c.addProperty("eos_token_id", IM_END);
        Files.writeString(config, gson().toJson(c));
        writeByteLevelTokenizer(dir);
        writePrompt(dir.resolve(PROMPT_FILE), Math.max(promptTokens, 16384), VOCAB);
        Files.writeString(dir.resolve(DONE), "ok\n");
        return dir;
    }

    /** Parameters of the checkpoint (embedding counted once: lm_head is tied). */
    static long parameters() {
        long q = (long) HEADS * (HIDDEN / HEADS);
        long kv = (long) KV_HEADS * (HIDDEN / HEADS);
        long perLayer = 2L * HIDDEN + HIDDEN * q + q + 2 * (HIDDEN * kv + kv) + q * HIDDEN
                + 3L * HIDDEN * INTERMEDIATE;
        return (long) VOCAB * HIDDEN + LAYERS * perLayer + HIDDEN;
    }

    /** The first {@code n} prompt ids. */
    static int[] promptIds(Path dir, int n) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(PROMPT_FILE)))
                .order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 4L * n) {
            throw new IOException(dir.resolve(PROMPT_FILE) + " holds " + b.remaining() / 4
                    + " ids, " + n + " needed; delete " + dir + " to rewrite it");
        }
        int[] ids = new int[n];
        b.asIntBuffer().get(ids);
        return ids;
    }

    private static void writePrompt(Path file, int n, int vocab) throws IOException {
        Random r = new Random(42);
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putInt(r.nextInt(vocab - 3));   // the last ids are the special tokens
        }
        Files.write(file, b.array());
    }

    /**
     * GPT-2 style byte-level BPE: the 256 byte symbols, then merged symbols "aa", "ab", ... up to
     * {@code VOCAB - 3} entries, then the Qwen2 special tokens as the last three ids.
     */
    private static void writeByteLevelTokenizer(Path dir) throws IOException {
        List<String> bytes = byteSymbols();
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String s : bytes) {
            vocab.put(s, vocab.size());
        }
        List<String> merges = new ArrayList<>();
        String letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        List<String> pairs = new ArrayList<>();
        for (char a : letters.toCharArray()) {
            for (char b : letters.toCharArray()) {
                pairs.add("" + a + b);
                merges.add(a + " " + b);
                vocab.put("" + a + b, vocab.size());
            }
        }
        outer:
        for (String ab : pairs) {
            for (char c : letters.toCharArray()) {
                if (vocab.size() >= VOCAB - 3) {
                    break outer;
                }
                merges.add(ab + " " + c);
                vocab.put(ab + c, vocab.size());
            }
        }
        String[] specials = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
        List<Map<String, Object>> added = new ArrayList<>();
        for (String s : specials) {
            int id = vocab.size();
            vocab.put(s, id);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", id);
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            added.add(t);
        }
        Map<String, Object> byteLevel = new LinkedHashMap<>();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("trim_offsets", true);
        byteLevel.put("use_regex", true);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("vocab", vocab);
        model.put("merges", merges);
        Map<String, Object> tok = new LinkedHashMap<>();
        tok.put("version", "1.0");
        tok.put("truncation", null);
        tok.put("padding", null);
        tok.put("added_tokens", added);
        tok.put("normalizer", null);
        tok.put("pre_tokenizer", byteLevel);
        tok.put("post_processor", null);
        tok.put("decoder", byteLevel);
        tok.put("model", model);
        Files.writeString(dir.resolve("tokenizer.json"), gson().toJson(tok));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("bos_token", null);
        cfg.put("eos_token", "<|im_end|>");
        cfg.put("pad_token", "<|endoftext|>");
        cfg.put("model_max_length", CONTEXT);
        cfg.put("tokenizer_class", "Qwen2Tokenizer");
        Files.writeString(dir.resolve("tokenizer_config.json"), gson().toJson(cfg));
        Files.writeString(dir.resolve("generation_config.json"),
                gson().toJson(Map.of("eos_token_id", List.of(IM_END, ENDOFTEXT))));
    }

    /** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 onwards. */
    private static List<String> byteSymbols() {
        List<String> out = new ArrayList<>();
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC)
                    || (b >= 0xAE && b <= 0xFF);
            out.add(String.valueOf((char) (printable ? b : 256 + extra++)));
        }
        return out;
    }

    private static com.google.gson.Gson gson() {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
                .create();
    }
}
