package org.memorag.rag.generator;

import java.util.List;
import java.util.Objects;
import org.memorag.engine.model.ModelMemory;

/**
 * What a generator gets: the formatted final prompt (qa_gen, sum_gen or a custom template), the
 * question (null for summaries), the evidence passages in document order, the token budget and
 * the document's memory (null without one; only the memory generator uses it).
 */
public record GenerationRequest(String prompt, String question, List<String> passages,
        int maxNewTokens, ModelMemory memory) {
    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        passages = List.copyOf(passages);
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("max_new_tokens must be > 0, got " + maxNewTokens);
        }
    }
}
