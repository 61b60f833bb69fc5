package org.memorag.rag.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key of MemoRAG on Spark, with its type, default and meaning. The one place
 * that holds defaults; conf/memorag.properties documents the same list (a test keeps them in
 * sync). Spark reads these keys as {@code spark.memorag.<key>}.
 */
public final class ConfigKeys {
    private ConfigKeys() {}

    // --- memory model -------------------------------------------------------------------------
    public static final Key<String> MEMORY_MODE = Key.ofChoice("memory.mode", "auto",
            List.of("auto", "beacon", "longllm", "lite", "none"),
            "how each document is memorized; auto = none without memory.model, else the"
                    + " checkpoint decides (beacon checkpoint -> beacon, plain decoder ->"
                    + " longllm)");
    public static final Key<String> MEMORY_MODEL = Key.ofPath("memory.model",
            "Hugging Face folder of the memory model (beacon or any causal LM); empty = none");
    public static final Key<Integer> MEMORY_BEACON_RATIO = Key.ofInt("memory.beacon_ratio", 4,
            "beacon compression ratio, replacing the checkpoint's beacon_ratio list as MemoRAG's"
                    + " beacon_ratio=4 does; 0 = no compression");
    public static final Key<Integer> MEMORY_BUDGET_MB = Key.ofInt("memory.budget_mb", 0,
            "device memory one beacon memory may take; over it the ratio escalates; 0 = no limit");
    public static final Key<Integer> MEMORY_MAX_CONTEXT_TOKENS = Key.ofInt(
            "memory.max_context_tokens", 0,
            "refuse documents whose memory prompt is longer than this many tokens; 0 = no limit");
    public static final Key<String> MEMORY_REPETITION_PENALTY = Key.ofString(
            "memory.repetition_penalty", "auto",
            "repetition penalty of memory-model calls (HF semantics; 1.0 = off); auto = the"
                    + " memory checkpoint's generation_config.json value, else 1.0 (upstream)");
    public static final Key<Boolean> MEMORY_LOCALIZED_REPLY = Key.ofBoolean(
            "memory.localized_reply", false,
            "false = the English assistant reply after the context in every language (upstream);"
                    + " true = the prompt language's dull_reply");

    // --- lite (gist) memory -------------------------------------------------------------------
    public static final Key<String> LITE_MODEL = Key.ofPath("lite.model",
            "Hugging Face folder of the LLM that writes the gists and holds them; empty ="
                    + " generator.model");
    public static final Key<Integer> LITE_GIST_CHUNK_TOKENS = Key.ofInt("lite.gist_chunk_tokens",
            4096, "cl100k tokens per chunk summarised into one gist");
    public static final Key<Integer> LITE_GIST_MAX_NEW_TOKENS = Key.ofInt(
            "lite.gist_max_new_tokens", 512, "new tokens per gist");
    public static final Key<Double> LITE_REPETITION_PENALTY = Key.ofDouble(
            "lite.repetition_penalty", 1.2, "repetition penalty of lite calls (upstream 1.2)");

    // --- generator ----------------------------------------------------------------------------
    public static final Key<String> GENERATOR_TYPE = Key.ofChoice("generator.type", "extractive",
            List.of("memory", "llm", "openai", "extractive"),
            "who writes the final answer: the memory model, an in-process LLM, an OpenAI-compatible"
                    + " endpoint, or extractive (best evidence sentences, no LLM)");
    public static final Key<String> GENERATOR_MODEL = Key.ofPath("generator.model",
            "Hugging Face folder of the in-process generator LLM (generator.type=llm)");
    public static final Key<Double> GENERATOR_REPETITION_PENALTY = Key.ofDouble(
            "generator.repetition_penalty", 1.0, "repetition penalty of generator calls");
    public static final Key<String> GENERATOR_API_BASE_URL = Key.ofString(
            "generator.api.base_url", "",
            "OpenAI-compatible endpoint base, e.g. http://127.0.0.1:8000/v1 (/chat/completions"
                    + " is appended)");
    public static final Key<String> GENERATOR_API_MODEL = Key.ofString("generator.api.model", "",
            "model name sent to the endpoint");
    public static final Key<String> GENERATOR_API_TOKEN_ENV = Key.ofEnvName(
            "generator.api.token_env", "OPENAI_API_KEY",
            "environment variable that holds the endpoint's API token (unset = no token sent)");
    public static final Key<Integer> GENERATOR_API_TIMEOUT_S = Key.ofInt(
            "generator.api.timeout_s", 60, "seconds per HTTP request before it counts as failed");
    public static final Key<Integer> GENERATOR_API_RETRIES = Key.ofInt("generator.api.retries", 3,
            "retries after a 429, a 5xx or an I/O error (exponential backoff)");
    public static final Key<Integer> GENERATOR_API_BACKOFF_MS = Key.ofInt(
            "generator.api.backoff_ms", 1000, "first retry delay; doubled on every retry");
    public static final Key<Double> GENERATOR_API_TEMPERATURE = Key.ofDouble(
            "generator.api.temperature", 0.0, "sampling temperature sent to the endpoint");
    public static final Key<Integer> EXTRACTIVE_SENTENCES = Key.ofInt("extractive.sentences", 2,
            "sentences the extractive generator returns, best first");

    // --- retrieval ----------------------------------------------------------------------------
    public static final Key<String> EMBEDDER_MODEL = Key.ofPath("embedder.model",
            "encoder folder (BGE family: ONNX export, or BERT/XLM-R safetensors on the engine); empty ="
                    + " the embedded BGE-small-en-v1.5 (quantized ONNX)");
    public static final Key<String> EMBEDDER_QUERY_INSTRUCTION = Key.ofString(
            "embedder.query_instruction", "",
            "text put before every query before embedding (upstream: none)");
    public static final Key<Integer> EMBEDDER_DOC_MAX_TOKENS = Key.ofInt(
            "embedder.doc_max_tokens", 512, "encoder tokens kept per chunk when embedding");
    public static final Key<Integer> EMBEDDER_QUERY_MAX_TOKENS = Key.ofInt(
            "embedder.query_max_tokens", 128, "encoder tokens kept per query when embedding");
    public static final Key<Integer> EMBEDDER_BATCH_SIZE = Key.ofInt("embedder.batch_size", 32,
            "texts per encoder call");
    public static final Key<Integer> EMBEDDER_PARALLELISM = Key.ofInt("embedder.parallelism", 0,
            "encoder calls in flight at once, each on one native thread; 0 = one per core when"
                    + " 'threads' is 0, else 1 (Spark tasks: 1)");
    public static final Key<Integer> CHUNK_TOKENS_EN = Key.ofInt("chunk.tokens.en", 512,
            "cl100k tokens per retrieval chunk for English documents");
    public static final Key<Integer> CHUNK_TOKENS_ZH = Key.ofInt("chunk.tokens.zh", 2048,
            "cl100k tokens per retrieval chunk for Chinese documents");
    public static final Key<Integer> RETRIEVE_HITS = Key.ofInt("retrieve.hits", 3,
            "FAISS hits per query (MemoRAG ret_hit)");
    public static final Key<String> RETRIEVE_INDEX_FACTORY = Key.ofString(
            "retrieve.index_factory", "Flat", "FAISS index_factory string (inner product)");
    public static final Key<Integer> RETRIEVE_NPROBE = Key.ofInt("retrieve.nprobe", 0,
            "IVF lists probed per query; 0 = FAISS default");
    public static final Key<Boolean> RETRIEVE_FALLBACK_TO_FLAT = Key.ofBoolean(
            "retrieve.fallback_to_flat", true,
            "build a Flat index when the factory's index cannot be trained on a document's chunks");
    public static final Key<String> QUERY_FILTER = Key.ofChoice("query.filter", "language",
            List.of("language", "upstream"),
            "clue lines kept as queries: language = > 3 words (> 3 characters for CJK);"
                    + " upstream = > 3 whitespace words always");

    // --- language and tasks -------------------------------------------------------------------
    public static final Key<String> LANGUAGE = Key.ofChoice("language", "auto",
            List.of("auto", "en", "zh"),
            "prompt and chunk language; auto = detected per document (lingua, en/zh)");
    public static final Key<String> TASK_DEFAULT = Key.ofChoice("task.default", "memorag",
            List.of("memorag", "qa", "summarize", "rag"), "task of a question that names none");
    public static final Key<Boolean> TASK_USE_MEMORY_ANSWER = Key.ofBoolean(
            "task.use_memory_answer", false,
            "memorag: also ask the memory for an answer and append \"The answer might be ...\"");
    public static final Key<Integer> TOKENS_RECALL = Key.ofInt("tokens.recall", 128,
            "new tokens for the clue spans (span prompt)");
    public static final Key<Integer> TOKENS_REWRITE = Key.ofInt("tokens.rewrite", 128,
            "new tokens for the surrogate questions (sur prompt)");
    public static final Key<Integer> TOKENS_ANSWER = Key.ofInt("tokens.answer", 128,
            "new tokens for the memory's own answer (qa prompt)");
    public static final Key<Integer> TOKENS_KEY_POINTS = Key.ofInt("tokens.key_points", 512,
            "new tokens for the key points of a summary (sum prompt)");
    public static final Key<Integer> TOKENS_FINAL = Key.ofInt("tokens.final", 256,
            "new tokens for the final answer unless the question sets max_new_tokens");

    // --- runtime ------------------------------------------------------------------------------
    public static final Key<String> DEVICE = Key.ofString("device", "cpu",
            "cpu, cuda or cuda:N (Spark jobs use the GPU address Spark assigned)");
    public static final Key<Integer> THREADS = Key.ofInt("threads", 0,
            "native threads per task for the engine; 0 = library default");

    /** All keys, in documentation order. */
    public static final List<Key<?>> ALL = List.of(MEMORY_MODE, MEMORY_MODEL, MEMORY_BEACON_RATIO,
            MEMORY_BUDGET_MB, MEMORY_MAX_CONTEXT_TOKENS, MEMORY_REPETITION_PENALTY,
            MEMORY_LOCALIZED_REPLY,
            LITE_MODEL, LITE_GIST_CHUNK_TOKENS, LITE_GIST_MAX_NEW_TOKENS, LITE_REPETITION_PENALTY,
            GENERATOR_TYPE, GENERATOR_MODEL, GENERATOR_REPETITION_PENALTY, GENERATOR_API_BASE_URL,
            GENERATOR_API_MODEL, GENERATOR_API_TOKEN_ENV, GENERATOR_API_TIMEOUT_S,
            GENERATOR_API_RETRIES, GENERATOR_API_BACKOFF_MS, GENERATOR_API_TEMPERATURE,
            EXTRACTIVE_SENTENCES, EMBEDDER_MODEL, EMBEDDER_QUERY_INSTRUCTION,
            EMBEDDER_DOC_MAX_TOKENS, EMBEDDER_QUERY_MAX_TOKENS, EMBEDDER_BATCH_SIZE,
            EMBEDDER_PARALLELISM,
            CHUNK_TOKENS_EN, CHUNK_TOKENS_ZH, RETRIEVE_HITS, RETRIEVE_INDEX_FACTORY,
            RETRIEVE_NPROBE, RETRIEVE_FALLBACK_TO_FLAT, QUERY_FILTER, LANGUAGE, TASK_DEFAULT,
            TASK_USE_MEMORY_ANSWER, TOKENS_RECALL, TOKENS_REWRITE, TOKENS_ANSWER,
            TOKENS_KEY_POINTS, TOKENS_FINAL, DEVICE, THREADS);

    /** Keys by name. */
    public static final Map<String, Key<?>> BY_NAME = byName();

    private static Map<String, Key<?>> byName() {
        Map<String, Key<?>> m = new LinkedHashMap<>();
        for (Key<?> k : ALL) {
            if (m.put(k.name(), k) != null) {
                throw new IllegalStateException("config key declared twice: " + k.name());
            }
        }
        return Map.copyOf(m);
    }
}
