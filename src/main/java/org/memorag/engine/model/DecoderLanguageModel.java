package org.memorag.engine.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.memorag.engine.generate.GenerationConfig;
import org.memorag.engine.generate.TokenLoop;
import org.memorag.engine.tokenize.ChatMessage;
import org.memorag.engine.tokenize.HfTokenizer;
import org.memorag.engine.tokenize.ModelChatTemplate;

/**
 * A plain decoder (Qwen2, Llama, Mistral) as a {@link LanguageModel}: its memory is the KV cache of
 * the context ({@code longllm}, {@link KvMemory}); generation forks that cache, reads the prompt in
 * chunks and decodes one token at a time. Thread-safe: weights are read-only, each call owns its
 * cache and scopes.
 */
public final class DecoderLanguageModel implements LanguageModel {
    public static final String GENERATION_CONFIG = EosIds.GENERATION_CONFIG;

    /** What one generation did, with timings (model loading excluded). */
    public record Result(int[] ids, float[][] promptLogits, int prefillTokens, long prefillNanos,
            int decodeTokens, long decodeNanos) {}

    private final Path dir;
    private final ModelChatTemplate chatTemplate;
    private final Decoder decoder;
    private final HfTokenizer tokenizer;
    private final String fingerprint;
    private final Set<Integer> eosIds;

    DecoderLanguageModel(Path dir, Decoder decoder, HfTokenizer tokenizer, String fingerprint) {
        this.dir = dir;
        this.chatTemplate = new ModelChatTemplate(dir);
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.fingerprint = fingerprint;
        this.eosIds = EosIds.of(dir, decoder.config());
    }

    public Decoder decoder() {
        return decoder;
    }

    public HfTokenizer tokenizer() {
        return tokenizer;
    }

    public Path dir() {
        return dir;
    }

    /** EOS ids from config.json and generation_config.json. */
    public Set<Integer> eosIds() {
        return eosIds;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public int[] tokenize(String text) {
        return tokenizer.encode(text);
    }

    @Override
    public String detokenize(int[] ids) {
        return tokenizer.decode(ids);
    }

    /**
     * Renders with the folder's own template (tokenizer_config.json chat_template, or
     * chat_template.jinja/json) as transformers' apply_chat_template(tokenize=False) does; a
     * folder without one fails here with a ChatTemplateException naming the file.
     */
    @Override
    public String renderChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return chatTemplate.render(messages, addGenerationPrompt);
    }

    @Override
    public KvMemory memorize(int[] ids) {
        KvCache cache = KvCache.create(decoder, Math.max(ids.length, 1));
        try {
            Prefill.run(cache, ids, Prefill.DEFAULT_CHUNK);
            return new KvMemory(cache, fingerprint, ids);
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    @Override
    public KvMemory readMemory(InputStream in) throws IOException {
        return KvMemory.read(in, decoder, fingerprint);
    }

    /** Logits at every position of {@code ids} from a fresh cache, {@code [ids.length][vocab]}. */
    public float[][] promptLogits(int[] ids) {
        try (KvCache cache = KvCache.create(decoder, ids.length)) {
            return Prefill.runAllLogits(cache, ids, Prefill.DEFAULT_CHUNK);
        }
    }

    @Override
    public int[] generate(ModelMemory memory, int[] promptIds, GenerationConfig config) {
        return generateDetailed(memory, promptIds, config, false).ids();
    }

    /** One generation per prompt, in order, each over the same unchanged memory. */
    public List<int[]> generateBatch(ModelMemory memory, List<int[]> prompts,
            GenerationConfig config) {
        List<int[]> out = new ArrayList<>();
        for (int[] p : prompts) {
            out.add(generate(memory, p, config));
        }
        return out;
    }

    /**
     * Generates after {@code memory} (or nothing) and {@code promptIds}; with {@code allLogits}
     * the result also holds the logits at every prompt position.
     */
    public Result generateDetailed(ModelMemory memory, int[] promptIds, GenerationConfig config,
            boolean allLogits) {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("generate needs at least one prompt token");
        }
        KvCache base = kvOf(memory);
        int[] seen = memory == null
                ? promptIds : concat(((KvMemory) memory).contextIds(), promptIds);
        int room = promptIds.length + config.maxNewTokens();
        try (KvCache cache = base == null ? KvCache.create(decoder, room) : base.fork(room)) {
            long t0 = System.nanoTime();
            float[][] all = null;
            float[] first;
            if (allLogits) {
                all = Prefill.runAllLogits(cache, promptIds, Prefill.DEFAULT_CHUNK);
                first = all[all.length - 1];
            } else {
                first = Prefill.run(cache, promptIds, Prefill.DEFAULT_CHUNK);
            }
            long t1 = System.nanoTime();
            int[] decodeCalls = {0};
            int[] ids = TokenLoop.generate(first, id -> {
                decodeCalls[0]++;
                return Prefill.run(cache, new int[] {id}, 1);
            }, seen, config, union(config), tokenizer::decode);
            long t2 = System.nanoTime();
            return new Result(ids, all, promptIds.length, t1 - t0, decodeCalls[0], t2 - t1);
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private Set<Integer> union(GenerationConfig c) {
        Set<Integer> s = new LinkedHashSet<>(eosIds);
        s.addAll(c.extraEosIds());
        return s;
    }

    private KvCache kvOf(ModelMemory memory) {
        if (memory == null) {
            return null;
        }
        if (!(memory instanceof KvMemory kv)) {
            throw new IllegalArgumentException("a plain decoder continues only its own"
                    + " \"kv\" memory, got kind \"" + memory.kind() + "\"");
        }
        if (!fingerprint.equals(kv.metadata().get("model")) || kv.cache().decoder() != decoder) {
            throw new IllegalArgumentException("memory was made by model "
                    + kv.metadata().get("model")
                    + " (or another instance); this model is " + fingerprint);
        }
        return kv.cache();
    }

    @Override
    public void close() {
        tokenizer.close();
        decoder.close();
    }

    @Override
    public String toString() {
        return "DecoderLanguageModel[" + decoder.config().modelType() + " " + fingerprint + " "
                + decoder.config().numHiddenLayers() + " layers]";
    }
}
