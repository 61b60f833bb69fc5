package org.memorag.engine.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.memorag.engine.generate.GenerationConfig;
import org.memorag.engine.tokenize.ChatMessage;

/**
 * A causal LM loaded from a Hugging Face folder with its tokenizer and chat template: everything
 * the MemoRAG pipeline asks of a memory model or a generator. Thread-safe once loaded (weights are
 * read-only; per-request state lives in the {@link ModelMemory} and in each call).
 */
public interface LanguageModel extends AutoCloseable {
    /** Stable id of config + weights (for artifact versions and the manifest). */
    String fingerprint();

    /** Tokenizes text exactly as given: no BOS, no template, no special tokens added. */
    int[] tokenize(String text);

    /** Decodes ids to text, skipping special tokens (Hugging Face skip_special_tokens=True). */
    String detokenize(int[] ids);

    /** Renders messages with the checkpoint's own chat template (tokenizer_config.json). */
    String renderChat(List<ChatMessage> messages, boolean addGenerationPrompt);

    /**
     * Reads {@code ids} into a new memory: the plain KV cache (chunked prefill) for an ordinary
     * decoder, the compressed beacon memory for a beacon checkpoint.
     */
    ModelMemory memorize(int[] ids);

    /** Restores a memory written by {@link ModelMemory#writeTo}; rejects one of another model. */
    ModelMemory readMemory(InputStream in) throws IOException;

    /**
     * Generates a continuation of {@code memory} (may be null: no memory) followed by
     * {@code promptIds}; returns only the new ids. The memory is left unchanged.
     */
    int[] generate(ModelMemory memory, int[] promptIds, GenerationConfig config);

    @Override
    void close();
}
