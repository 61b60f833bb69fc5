package org.memorag.engine.generate;

import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The decode loop shared by every in-process model: sample, stop on an EOS id (the EOS id is kept
 * in the result, as transformers returns it) or when a stop string appears in the decoded output
 * (the tokens that make it up are dropped), else feed the token back for the next logits.
 */
public final class TokenLoop {
    private TokenLoop() {}

    /**
     * @param firstLogits logits after the prompt (float32, [vocab])
     * @param step        feeds one token and returns the logits that follow it
     * @param promptIds   ids the repetition penalty covers besides the output
     * @param eosIds      ids that end generation
     * @param decode      ids -> text (skipping special tokens); used only with stop strings
     */
    public static int[] generate(float[] firstLogits, IntFunction<float[]> step, int[] promptIds,
            GenerationConfig config, Set<Integer> eosIds, Function<int[], String> decode) {
        Sampler sampler = new Sampler(config);
        boolean[] seen = new boolean[firstLogits.length];
        for (int id : promptIds) {
            if (id >= 0 && id < seen.length) {
                seen[id] = true;
            }
        }
        int[] out = new int[Math.max(config.maxNewTokens(), 0)];
        int n = 0;
        float[] logits = firstLogits;
        String text = "";
        while (n < config.maxNewTokens()) {
            int id = sampler.next(logits, seen);
            out[n++] = id;
            seen[id] = true;
            if (eosIds.contains(id)) {
                break;
            }
            if (!config.stopStrings().isEmpty()) {
                String now = decode.apply(Arrays.copyOf(out, n));
                int cut = stopAt(now, text.length(), config);
                if (cut >= 0) {
                    return Arrays.copyOf(out, keepUpTo(out, n, cut, decode));
                }
                text = now;
            }
            if (n < config.maxNewTokens()) {
                logits = step.apply(id);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Start of the first stop string that ends after {@code oldLength - 1}, or -1. */
    static int stopAt(String text, int oldLength, GenerationConfig config) {
        int best = -1;
        for (String stop : config.stopStrings()) {
            if (stop.isEmpty()) {
                continue;
            }
            int i = text.indexOf(stop, Math.max(0, oldLength - stop.length() + 1));
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    /** The longest prefix of {@code out[0..n)} whose text ends at or before {@code cut}. */
    private static int keepUpTo(int[] out, int n, int cut, Function<int[], String> decode) {
        for (int k = n - 1; k >= 0; k--) {
            if (decode.apply(Arrays.copyOf(out, k)).length() <= cut) {
                return k;
            }
        }
        return 0;
    }
}
