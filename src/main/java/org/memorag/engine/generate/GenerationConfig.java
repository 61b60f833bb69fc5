package org.memorag.engine.generate;

import java.util.List;

/**
 * How to decode: greedy when {@code temperature == 0}, else sampling with top-k / top-p.
 * {@code repetitionPenalty} follows Hugging Face (divide positive logits, multiply negative ones,
 * over every id in prompt and output); 1.0 turns it off. Generation stops at {@code maxNewTokens},
 * at an EOS id of the checkpoint (plus {@code extraEosIds}), or when the decoded text ends with one
 * of {@code stopStrings} (the stop string is cut from the result).
 */
public record GenerationConfig(int maxNewTokens, double temperature, double topP, int topK,
        double repetitionPenalty, long seed, List<String> stopStrings, List<Integer> extraEosIds) {
    public GenerationConfig {
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("max_new_tokens must be >= 0, got " + maxNewTokens);
        }
        if (temperature < 0) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be within (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0 (0 = off), got " + topK);
        }
        if (!(repetitionPenalty > 0)) {
            throw new IllegalArgumentException(
                    "repetition_penalty must be > 0 (1.0 = off), got " + repetitionPenalty);
        }
        stopStrings = List.copyOf(stopStrings);
        extraEosIds = List.copyOf(extraEosIds);
    }

    /** Greedy decoding of at most {@code maxNewTokens} tokens, no penalty, no stop strings. */
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0.0, 1.0, 0, 1.0, 0L, List.of(), List.of());
    }

    public boolean isGreedy() {
        return temperature == 0.0;
    }

    public GenerationConfig withRepetitionPenalty(double penalty) {
        return new GenerationConfig(maxNewTokens, temperature, topP, topK, penalty, seed,
                stopStrings, extraEosIds);
    }

    public GenerationConfig withMaxNewTokens(int n) {
        return new GenerationConfig(n, temperature, topP, topK, repetitionPenalty, seed,
                stopStrings, extraEosIds);
    }
}
