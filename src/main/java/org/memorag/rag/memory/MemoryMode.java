package org.memorag.rag.memory;

import java.io.IOException;
import java.io.InputStream;
import org.memorag.engine.model.ModelMemory;
import org.memorag.rag.prompt.Prompts;

/**
 * How a document is memorized and how its memory is asked (BEACON_SPEC.md §1.4, §1.7, §1.12):
 * {@code longllm} and {@code beacon} (the context prompt plus the fixed assistant reply read by a
 * causal LM or a beacon checkpoint), {@code lite} (gists of ~4096-token chunks held by a small
 * LLM) and {@code none}. Every {@link #ask} starts from the memorized state, so a question never
 * sees an earlier one. Thread-safe: one mode serves concurrent documents.
 */
public interface MemoryMode extends AutoCloseable {
    /** beacon, longllm, lite or none: what this mode writes into the manifest. */
    String name();

    /** Stable id of the model(s) behind the memory; "none" without one. */
    String fingerprint();

    /** True when documents get a memory (every mode but none). */
    default boolean hasMemory() {
        return true;
    }

    /** Reads {@code text} into a new memory with the context prompt of {@code prompts}. */
    Memorized memorize(String text, Prompts prompts);

    /** Restores a memory written by {@link ModelMemory#writeTo}. */
    ModelMemory readMemory(InputStream in) throws IOException;

    /**
     * One instruction (an already formatted span / sur / qa / sum prompt) over {@code memory}:
     * one user turn, greedy, at most {@code maxNewTokens}, decoded without special tokens.
     */
    MemoryReply ask(ModelMemory memory, String instruction, int maxNewTokens);

    /**
     * Generates the final answer from {@code prompt} over the memory (generator.type=memory): the
     * prompt continues the memorized stream like a question does (§1.10).
     */
    default MemoryReply generate(ModelMemory memory, String prompt, int maxNewTokens) {
        return ask(memory, prompt, maxNewTokens);
    }

    /** The mode's name actually recorded for a memory (auto resolves by the memory's kind). */
    default String recordedName(ModelMemory memory) {
        return name();
    }

    @Override
    void close();

    /** A fresh memory with the tokens it took to make it. */
    record Memorized(ModelMemory memory, int promptTokens, long gistMs) {}
}
