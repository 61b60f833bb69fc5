package org.memorag.rag.generator;

/**
 * Writes the final answer of a task from its prompt and evidence (BEACON_SPEC.md §1.10). One
 * implementation per {@code generator.type}: the in-process LLM, the memory model, an
 * OpenAI-compatible endpoint, or extractive. Thread-safe; closing releases what it loaded.
 */
public interface Generator extends AutoCloseable {
    /** "llm", "memory", "openai" or "extractive". */
    String type();

    /** Stable id of the model (or endpoint + model name) that generates, for the answers table. */
    String fingerprint();

    Generated generate(GenerationRequest request);

    @Override
    default void close() {}
}
