package org.memorag.engine.generate;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from float32 logits the way transformers' generate does, in its order:
 * repetition penalty, then (sampling only) temperature, top-k, top-p, softmax and a draw. Greedy
 * takes the first maximum. Deterministic: the draws come from {@code new Random(seed)}, so the
 * same seed, logits and history give the same ids. One Sampler per generation (it holds state).
 */
public final class Sampler {
    private final GenerationConfig config;
    private final Random random;

    public Sampler(GenerationConfig config) {
        this.config = config;
        this.random = new Random(config.seed());
    }

    /**
     * The next id given {@code logits[vocab]} (not modified) and {@code seen}, the ids the
     * repetition penalty applies to (prompt and output so far; only membership counts).
     */
    public int next(float[] logits, boolean[] seen) {
        float[] s = logits.clone();
        double penalty = config.repetitionPenalty();
        if (penalty != 1.0) {
            for (int i = 0; i < s.length; i++) {
                if (seen[i]) {
                    s[i] = (float) (s[i] < 0 ? s[i] * penalty : s[i] / penalty);
                }
            }
        }
        if (config.isGreedy()) {
            return argmax(s);
        }
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (s[i] / config.temperature());
        }
        if (config.topK() > 0 && config.topK() < s.length) {
            float[] sorted = s.clone();
            Arrays.sort(sorted);
            float kth = sorted[sorted.length - config.topK()];
            for (int i = 0; i < s.length; i++) {
                if (s[i] < kth) {
                    s[i] = Float.NEGATIVE_INFINITY;    // HF: scores < k-th largest are removed
                }
            }
        }
        double[] p = softmax(s);
        if (config.topP() < 1.0) {
            // sort by probability without boxing: (float bits of p) << 32 | id, ascending
            long[] order = new long[p.length];
            int live = 0;
            for (int i = 0; i < p.length; i++) {
                if (p[i] > 0) {
                    order[live++] = ((long) Float.floatToIntBits((float) p[i]) << 32) | i;
                }
            }
            Arrays.sort(order, 0, live);
            // keep a token iff the mass of the tokens ranked above it is < top_p (HF keeps >= 1)
            double before = 0;
            boolean[] keep = new boolean[p.length];
            for (int r = live - 1; r >= 0; r--) {
                int id = (int) order[r];
                if (r == live - 1 || before < config.topP()) {
                    keep[id] = true;
                }
                before += p[id];
            }
            double total = 0;
            for (int i = 0; i < p.length; i++) {
                if (!keep[i]) {
                    p[i] = 0;
                }
                total += p[i];
            }
            for (int i = 0; i < p.length; i++) {
                p[i] /= total;
            }
        }
        double u = random.nextDouble();
        double cum = 0;
        int lastPositive = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                cum += p[i];
                lastPositive = i;
                if (u < cum) {
                    return i;
                }
            }
        }
        return lastPositive;     // rounding left u just above the total mass
    }

    static int argmax(float[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) {
            if (s[i] > s[best]) {
                best = i;
            }
        }
        return best;
    }

    static double[] softmax(float[] s) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : s) {
            max = Math.max(max, v);
        }
        double[] p = new double[s.length];
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            p[i] = s[i] == Float.NEGATIVE_INFINITY ? 0 : Math.exp(s[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < s.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
