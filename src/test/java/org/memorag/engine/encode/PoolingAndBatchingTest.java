package org.memorag.engine.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pooling, normalisation, truncation and length batching: the Java parts of every encoder. */
class PoolingAndBatchingTest {
    // [batch 2, seq 3, dim 2]; row 1 has 2 real tokens, its third position is padding
    static final float[] HIDDEN = {3, 4, 1, 1, 1, 1, /* row 1 */ 1, 0, 0, 1, 100, 100};

    @Test
    void clsTakesTheFirstPositionAndNormalises() {
        assertArrayEquals(new float[] {0.6f, 0.8f}, Pooling.CLS.pool(HIDDEN, 0, 3, 2, 3), 1e-7f);
    }

    @Test
    void meanIgnoresPaddedPositions() {
        float s = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[] {s, s}, Pooling.MEAN.pool(HIDDEN, 1, 3, 2, 2), 1e-7f);
    }

    @Test
    void zeroVectorStaysZeroInsteadOfNaN() {
        assertArrayEquals(new float[] {0, 0}, Pooling.normalise(new double[] {0, 0}), 0f);
    }

    @Test
    void truncationKeepsLeadingAndTrailingSpecialTokens() {
        long[] ids = {101, 5, 6, 7, 8, 102};
        long[] special = {1, 0, 0, 0, 0, 1};
        assertArrayEquals(new long[] {101, 5, 6, 102}, EncoderTokenizer.truncate(ids, special, 4));
        assertArrayEquals(ids, EncoderTokenizer.truncate(ids, special, 6));
        assertThrows(IllegalArgumentException.class,
                () -> EncoderTokenizer.truncate(ids, special, 2));
    }

    @Test
    void lengthBatchesSortLongestFirstAndKeepIndices() {
        List<EncoderTokenizer.Tokens> t = new ArrayList<>();
        int[] lengths = {3, 9, 1, 9, 5};
        for (int i = 0; i < lengths.length; i++) {
            t.add(new EncoderTokenizer.Tokens(i, new long[lengths[i]]));
        }
        List<List<EncoderTokenizer.Tokens>> b = EncoderTokenizer.lengthBatches(t, 2);
        assertEquals(3, b.size());
        assertEquals(List.of(1, 3), b.get(0).stream().map(EncoderTokenizer.Tokens::index).toList());
        assertEquals(List.of(4, 0), b.get(1).stream().map(EncoderTokenizer.Tokens::index).toList());
        assertEquals(List.of(2), b.get(2).stream().map(EncoderTokenizer.Tokens::index).toList());
    }

    @Test
    void scoreCellBudgetShrinksBatchesOfLongTexts() {
        List<EncoderTokenizer.Tokens> t = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            t.add(new EncoderTokenizer.Tokens(i, new long[i < 2 ? 100 : 10]));
        }
        List<List<EncoderTokenizer.Tokens>> b = EncoderTokenizer.lengthBatches(t, 32, 400);
        assertEquals(List.of(1, 1, 4), b.stream().map(List::size).toList());
    }
}
