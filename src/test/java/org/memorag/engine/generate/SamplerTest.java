package org.memorag.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sampling rules as transformers applies them, and the decode loop's stop conditions. */
class SamplerTest {
    static final float[] LOGITS = {1.0f, 3.0f, 2.5f, -1.0f, 0.5f};

    static GenerationConfig sampling(double t, double p, int k, double penalty, long seed) {
        return new GenerationConfig(20, t, p, k, penalty, seed, List.of(), List.of());
    }

    @Test
    void greedyTakesTheMaximum() {
        assertEquals(1, new Sampler(GenerationConfig.greedy(1)).next(LOGITS, new boolean[5]));
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        boolean[] seen = {false, true, false, false, false};
        // 3.0 / 1.5 = 2.0 < 2.5: the penalised maximum loses
        assertEquals(2, new Sampler(GenerationConfig.greedy(1).withRepetitionPenalty(1.5)).next(LOGITS, seen));
        float[] negative = {-1.0f, -0.9f};
        // -0.9 * 2 = -1.8 < -1.0
        assertEquals(0, new Sampler(GenerationConfig.greedy(1).withRepetitionPenalty(2)).next(negative,
                new boolean[] {false, true}));
    }

    @Test
    void topKOneAndTinyTopPAreGreedy() {
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(1, new Sampler(sampling(5.0, 1.0, 1, 1.0, seed)).next(LOGITS,
                    new boolean[5]));
            assertEquals(1, new Sampler(sampling(5.0, 1e-6, 0, 1.0, seed)).next(LOGITS,
                    new boolean[5]));
        }
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // softmax of LOGITS: p1 ~ 0.51, p2 ~ 0.31: top_p 0.6 keeps exactly ids 1 and 2
        int[] counts = new int[5];
        Sampler s = new Sampler(sampling(1.0, 0.6, 0, 1.0, 3));
        for (int i = 0; i < 2000; i++) {
            counts[s.next(LOGITS, new boolean[5])]++;
        }
        assertEquals(0, counts[0] + counts[3] + counts[4], Arrays.toString(counts));
        assertTrue(counts[1] > counts[2] && counts[2] > 400, Arrays.toString(counts));
    }

    @Test
    void sameSeedSameDraws() {
        int[] a = draws(42);
        assertArrayEquals(a, draws(42));
        assertNotEquals(Arrays.toString(a), Arrays.toString(draws(43)));
    }

    private static int[] draws(long seed) {
        Sampler s = new Sampler(sampling(2.0, 1.0, 0, 1.0, seed));
        int[] out = new int[50];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.next(LOGITS, new boolean[5]);
        }
        return out;
    }

    @Test
    void loopStopsAtEosKeepingItAndCutsStopStrings() {
        // logits that make id (previous + 1) the argmax: 0 -> 1 -> 2 -> ...
        java.util.function.IntFunction<float[]> step = prev -> {
            float[] l = new float[10];
            l[(prev + 1) % 10] = 5;
            return l;
        };
        float[] first = step.apply(-1);
        int[] ids = TokenLoop.generate(first, step, new int[0], GenerationConfig.greedy(8),
                Set.of(4), null);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, ids);
        GenerationConfig stop = new GenerationConfig(8, 0, 1, 0, 1, 0, List.of("c d"), List.of());
        java.util.function.Function<int[], String> text = xs -> {
            StringBuilder b = new StringBuilder();
            for (int x : xs) {
                b.append(b.length() == 0 ? "" : " ").append((char) ('a' + x));
            }
            return b.toString();
        };
        // "a b c d" contains "c d": the tokens c and d are dropped
        assertArrayEquals(new int[] {0, 1},
                TokenLoop.generate(first, step, new int[0], stop, Set.of(), text));
        assertEquals(3, TokenLoop.generate(first, step, new int[0], GenerationConfig.greedy(3),
                Set.of(), text).length);
    }
}
