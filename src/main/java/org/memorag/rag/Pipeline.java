package org.memorag.rag;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.memorag.engine.encode.Encoder;
import org.memorag.engine.model.GenerationConfigFile;
import org.memorag.engine.model.LanguageModel;
import org.memorag.engine.model.ModelMemory;
import org.memorag.rag.artifact.ChunkRecord;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.chunk.Chunk;
import org.memorag.rag.chunk.Cl100kTokens;
import org.memorag.rag.chunk.TextChunker;
import org.memorag.rag.config.ConfigKeys;
import org.memorag.rag.config.Key;
import org.memorag.rag.config.MemoragConfig;
import org.memorag.rag.generator.ExtractiveGenerator;
import org.memorag.rag.generator.Generator;
import org.memorag.rag.generator.LlmGenerator;
import org.memorag.rag.generator.MemoryGenerator;
import org.memorag.rag.generator.OpenAiGenerator;
import org.memorag.rag.memory.LiteMemory;
import org.memorag.rag.memory.MemoryMode;
import org.memorag.rag.memory.ModelMemoryMode;
import org.memorag.rag.memory.NoMemory;
import org.memorag.rag.prompt.Language;
import org.memorag.rag.prompt.LanguageDetection;
import org.memorag.rag.prompt.Prompts;
import org.memorag.rag.retrieve.CoreBudget;
import org.memorag.rag.retrieve.Embedder;
import org.memorag.rag.retrieve.EmbedderConfig;
import org.memorag.rag.retrieve.RetrievalConfig;
import org.memorag.rag.task.Answer;
import org.memorag.rag.task.FaissRetrieval;
import org.memorag.rag.task.Question;
import org.memorag.rag.task.TaskRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MemoRAG pipeline in one JVM (DESIGN.md §2): {@link #memorize} turns a document into
 * in-memory {@link DocArtifacts} (memory, chunks, FAISS index), {@link #ask} answers a question
 * about them. Loads its models once in {@link #open}; thread-safe, so concurrent documents share
 * it; closing it releases the models. Knows no storage: callers save and load artifacts.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    /** Settings that change what memorize writes: part of the models fingerprint. */
    private static final List<Key<?>> ARTIFACT_SETTINGS = List.of(ConfigKeys.MEMORY_MODE,
            ConfigKeys.MEMORY_BEACON_RATIO, ConfigKeys.MEMORY_BUDGET_MB,
            ConfigKeys.MEMORY_LOCALIZED_REPLY,
            ConfigKeys.CHUNK_TOKENS_EN, ConfigKeys.CHUNK_TOKENS_ZH,
            ConfigKeys.EMBEDDER_DOC_MAX_TOKENS, ConfigKeys.RETRIEVE_INDEX_FACTORY,
            ConfigKeys.RETRIEVE_FALLBACK_TO_FLAT, ConfigKeys.LANGUAGE);
    private static final List<Key<?>> LITE_SETTINGS = List.of(ConfigKeys.LITE_GIST_CHUNK_TOKENS,
            ConfigKeys.LITE_GIST_MAX_NEW_TOKENS, ConfigKeys.LITE_REPETITION_PENALTY);

    private final MemoragConfig config;
    private final List<AutoCloseable> owned;
    private final MemoryMode memory;
    private final Generator generator;
    private final FaissRetrieval retrieval;
    private final LanguageDetection languages;
    private final TaskRunner tasks;
    private final Map<String, String> models;
    private final Map<String, String> settings;
    private final String fingerprint;

    private Pipeline(MemoragConfig config, List<AutoCloseable> owned, MemoryMode memory,
            Generator generator, Embedder embedder) {
        this.config = config;
        this.owned = owned;
        this.memory = memory;
        this.generator = generator;
        this.retrieval = new FaissRetrieval(embedder, new RetrievalConfig(
                config.get(ConfigKeys.RETRIEVE_INDEX_FACTORY), config.get(ConfigKeys.RETRIEVE_HITS),
                config.get(ConfigKeys.RETRIEVE_NPROBE),
                config.get(ConfigKeys.RETRIEVE_FALLBACK_TO_FLAT)));
        this.languages = new LanguageDetection(config);
        this.tasks = new TaskRunner(memory, generator, retrieval, config);
        Map<String, String> m = new TreeMap<>();
        m.put("memory", memory.fingerprint());
        m.put("embedder", embedder.fingerprint());
        this.models = Map.copyOf(m);
        Map<String, String> s = new TreeMap<>();
        for (Key<?> k : ARTIFACT_SETTINGS) {
            s.put(k.name(), config.asMap().get(k.name()));
        }
        if (memory instanceof LiteMemory) {
            for (Key<?> k : LITE_SETTINGS) {
                s.put(k.name(), config.asMap().get(k.name()));
            }
        }
        this.settings = Map.copyOf(s);
        this.fingerprint = sha256("format=1\n" + new TreeMap<>(models) + "\n"
                + new TreeMap<>(settings)).substring(0, 12);
    }

    /**
     * Encoder calls in flight when embedding: the configured number, else one per core when the
     * engine's native threads are left to the library (a CLI or notebook JVM that owns the
     * machine), else 1 (a Spark task slot, whose executor already runs one task per core). The
     * encoders run one native thread per call, and a batch per core beat one batch on every
     * core (RetrievalBench).
     */
    static int embedderParallelism(MemoragConfig config) {
        int configured = config.get(ConfigKeys.EMBEDDER_PARALLELISM);
        if (configured < 0) {
            throw new IllegalArgumentException("config key 'embedder.parallelism' must be >= 0"
                    + " (0 = automatic), got " + configured);
        }
        if (configured > 0) {
            return configured;
        }
        return config.get(ConfigKeys.THREADS) == 0
                ? Runtime.getRuntime().availableProcessors() : 1;
    }

    /**
     * Marks the calling thread as computing on one of the cores the pipeline's embedder shares
     * (a Spark task for its whole run), so no other thread's embedding borrows that core while
     * this one works, for example on a memory model; close the slot when the work ends.
     */
    public CoreBudget.Slot occupyCore() {
        return retrieval.embedder().budget().occupy();
    }

    /** Opens the pipeline with the engine's models ({@link EngineModels}). */
    public static Pipeline open(MemoragConfig config) {
        return open(config, new EngineModels(config));
    }

    /**
     * Opens the pipeline, loading every model the configuration names (each folder once); fails
     * fast with MODEL_NOT_CONFIGURED naming the key when a needed model is missing.
     */
    public static Pipeline open(MemoragConfig config, ModelProvider provider) {
        List<AutoCloseable> owned = new ArrayList<>();
        Map<Path, LanguageModel> loaded = new LinkedHashMap<>();
        try {
            Encoder encoder = provider.encoder(config.get(ConfigKeys.EMBEDDER_MODEL));
            owned.add(encoder);
            EmbedderConfig d = EmbedderConfig.DEFAULT;
            Embedder embedder = new Embedder(encoder, new EmbedderConfig(
                    config.get(ConfigKeys.EMBEDDER_BATCH_SIZE), d.batchTokens(),
                    config.get(ConfigKeys.EMBEDDER_DOC_MAX_TOKENS),
                    config.get(ConfigKeys.EMBEDDER_QUERY_MAX_TOKENS),
                    config.get(ConfigKeys.EMBEDDER_QUERY_INSTRUCTION),
                    embedderParallelism(config)));
            MemoryMode memory = memoryMode(config, dir -> model(provider, loaded, owned, dir));
            Generator generator = generator(config, memory, encoder,
                    dir -> model(provider, loaded, owned, dir));
            Pipeline p = new Pipeline(config, owned, memory, generator, embedder);
            log.info("pipeline open memory_mode={} generator={} models_fingerprint={}",
                    memory.name(), generator.type(), p.fingerprint);
            return p;
        } catch (RuntimeException e) {
            closeAll(owned);
            throw e;
        }
    }

    private static LanguageModel model(ModelProvider provider, Map<Path, LanguageModel> loaded,
            List<AutoCloseable> owned, Path dir) {
        return loaded.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> {
            LanguageModel m = provider.languageModel(d);
            owned.add(m);
            return m;
        });
    }

    private static Path folder(MemoragConfig c, Key<String> key, String needs) {
        String v = c.get(key);
        if (v.isEmpty()) {
            throw new MemoragException(ErrorCode.MODEL_NOT_CONFIGURED, needs + " needs a model"
                    + " folder: set " + key.name() + " (a Hugging Face checkpoint directory)");
        }
        Path p = Path.of(v);
        if (!Files.isDirectory(p)) {
            throw new MemoragException(ErrorCode.MODEL_NOT_CONFIGURED, key.name() + "=" + v
                    + " is not a folder; point it at a Hugging Face checkpoint directory");
        }
        return p;
    }

    private static MemoryMode memoryMode(MemoragConfig c,
            java.util.function.Function<Path, LanguageModel> load) {
        String mode = c.get(ConfigKeys.MEMORY_MODE);
        if (mode.equals("none") || (mode.equals("auto") && !c.isSet(ConfigKeys.MEMORY_MODEL))) {
            return new NoMemory();
        }
        if (mode.equals("lite")) {
            Path dir = c.isSet(ConfigKeys.LITE_MODEL)
                    ? folder(c, ConfigKeys.LITE_MODEL, "memory.mode=lite")
                    : folder(c, ConfigKeys.GENERATOR_MODEL, "memory.mode=lite (lite.model unset)");
            TextChunker gistChunker = new TextChunker(c.get(ConfigKeys.LITE_GIST_CHUNK_TOKENS));
            return new LiteMemory(load.apply(dir),
                    text -> gistChunker.chunk(text).stream().map(Chunk::text).toList(),
                    c.get(ConfigKeys.LITE_GIST_MAX_NEW_TOKENS),
                    c.get(ConfigKeys.LITE_REPETITION_PENALTY));
        }
        Path dir = folder(c, ConfigKeys.MEMORY_MODEL, "memory.mode=" + mode);
        return new ModelMemoryMode(load.apply(dir), mode, c.get(ConfigKeys.MEMORY_LOCALIZED_REPLY),
                memoryRepetitionPenalty(c, dir), c.get(ConfigKeys.MEMORY_MAX_CONTEXT_TOKENS));
    }

    /**
     * The repetition penalty of memory-model calls: the configured number, or with {@code auto}
     * the checkpoint's generation_config.json value as upstream inherits it (Q34), else 1.0.
     */
    static double memoryRepetitionPenalty(MemoragConfig c, Path memoryDir) {
        String v = c.get(ConfigKeys.MEMORY_REPETITION_PENALTY).trim();
        if (v.equalsIgnoreCase("auto")) {
            double p = GenerationConfigFile.repetitionPenalty(memoryDir).orElse(1.0);
            log.info("memory.repetition_penalty=auto: {} (from {})", p,
                    memoryDir.resolve("generation_config.json"));
            return p;
        }
        try {
            double p = Double.parseDouble(v);
            if (p > 0 && !Double.isInfinite(p)) {
                return p;
            }
        } catch (NumberFormatException e) {
            // the message below says what is accepted
        }
        throw new IllegalArgumentException("config key 'memory.repetition_penalty' must be"
                + " 'auto' or a positive number (1.0 = off), got '" + v + "'");
    }

    private static Generator generator(MemoragConfig c, MemoryMode memory, Encoder encoder,
            java.util.function.Function<Path, LanguageModel> load) {
        return switch (c.get(ConfigKeys.GENERATOR_TYPE)) {
            case "extractive" -> new ExtractiveGenerator(encoder,
                    c.get(ConfigKeys.EXTRACTIVE_SENTENCES),
                    c.get(ConfigKeys.EMBEDDER_QUERY_INSTRUCTION),
                    c.get(ConfigKeys.EMBEDDER_QUERY_MAX_TOKENS),
                    c.get(ConfigKeys.EMBEDDER_DOC_MAX_TOKENS));
            case "llm" -> new LlmGenerator(load.apply(folder(c, ConfigKeys.GENERATOR_MODEL,
                    "generator.type=llm")), c.get(ConfigKeys.GENERATOR_REPETITION_PENALTY));
            case "openai" -> OpenAiGenerator.fromConfig(c, System::getenv);
            case "memory" -> {
                if (!memory.hasMemory()) {
                    throw new MemoragException(ErrorCode.MODEL_NOT_CONFIGURED, "generator.type="
                            + "memory needs a memory model: set memory.model");
                }
                yield new MemoryGenerator(memory);
            }
            default -> throw new IllegalStateException("generator.type "
                    + c.get(ConfigKeys.GENERATOR_TYPE));
        };
    }

    /**
     * Memorizes one document: language (configured or detected), memory (unless mode none),
     * chunks and their FAISS index. The result owns the memory; close it when done.
     */
    public DocArtifacts memorize(String docId, String text) {
        if (docId == null || docId.isBlank()) {
            throw new MemoragException(ErrorCode.BAD_QUESTION, "doc_id is empty; every document"
                    + " needs an id");
        }
        if (text == null || text.isBlank()) {
            throw new MemoragException(ErrorCode.EMPTY_DOCUMENT, "doc_id '" + docId + "' has an"
                    + " empty text; nothing to memorize");
        }
        long t0 = System.nanoTime();
        Language lang = languages.choose(text);
        long tLang = System.nanoTime();
        MemoryMode.Memorized m = memory.memorize(text, Prompts.of(lang));
        ModelMemory mem = m.memory();
        long tMemory = System.nanoTime();
        try {
            int capacity = config.get(lang == Language.ZH ? ConfigKeys.CHUNK_TOKENS_ZH
                    : ConfigKeys.CHUNK_TOKENS_EN);
            List<Chunk> chunks = new TextChunker(capacity).chunk(text);
            long tChunks = System.nanoTime();
            byte[] index = retrieval.buildIndex(chunks);
            long tIndex = System.nanoTime();
            List<ChunkRecord> records = new ArrayList<>(chunks.size());
            for (Chunk c : chunks) {
                records.add(new ChunkRecord(c.id(), c.text(), c.charStart(), c.charEnd(),
                        c.nTokens()));
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            DocArtifacts doc = new DocArtifacts(docId, sha256(text), fingerprint, lang,
                    memory.recordedName(mem), mem, models, settings, index, records,
                    text.length(), Cl100kTokens.count(text), ms);
            log.info("memorized doc_id={} lang={} chars={} chunks={} memory_tokens={}"
                    + " memory_bytes={} ms={} (language={} memory={} chunk={} embed+index={})",
                    docId, lang.code(), text.length(), chunks.size(), m.promptTokens(),
                    doc.memoryBytes(), ms, millis(t0, tLang), millis(tLang, tMemory),
                    millis(tMemory, tChunks), millis(tChunks, tIndex));
            return doc;
        } catch (RuntimeException e) {
            if (mem != null) {
                mem.close();
            }
            throw e;
        }
    }

    /** Answers one question about a memorized document. */
    public Answer ask(DocArtifacts doc, Question question) {
        if (!doc.modelsFingerprint().equals(fingerprint)) {
            throw new MemoragException(ErrorCode.MODEL_MISMATCH, "doc_id '" + doc.docId()
                    + "' was memorized with models fingerprint " + doc.modelsFingerprint()
                    + " (" + doc.models() + ", " + doc.settings() + "); this pipeline is "
                    + fingerprint + " (" + models + ", " + settings + "). Use the configuration"
                    + " it was memorized with, or memorize it again");
        }
        return tasks.run(doc, question);
    }

    /** Restores a stored memory with the configured memory model (for the store's loader). */
    public ModelMemory readMemory(InputStream in) throws IOException {
        return memory.readMemory(in);
    }

    /**
     * The artifact version {@link #memorize} would produce for {@code text} (text SHA-256 prefix
     * + models fingerprint): callers check the store for it to skip unchanged documents.
     */
    public String versionFor(String text) {
        return DocArtifacts.version(sha256(text), fingerprint);
    }

    /** Identifies the models and settings that shape artifacts; part of every version path. */
    public String modelsFingerprint() {
        return fingerprint;
    }

    public MemoragConfig config() {
        return config;
    }

    /** The memory mode as configured (auto, beacon, longllm, lite, none). */
    public String memoryMode() {
        return memory.name();
    }

    public String generatorType() {
        return generator.type();
    }

    @Override
    public void close() {
        closeAll(owned);
    }

    private static void closeAll(List<AutoCloseable> owned) {
        RuntimeException first = null;
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("closing " + owned.get(i) + " failed", e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        owned.clear();
        if (first != null) {
            throw first;
        }
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code s} (the document text hash). */
    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
