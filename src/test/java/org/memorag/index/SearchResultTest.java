package org.memorag.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** SearchResult splits FAISS's flat output per query, drops -1 padding and compares by content. */
class SearchResultTest {

    @Test
    void fromFlatSplitsRowsAndWithoutPaddingDropsMinusOne() {
        SearchResult r = SearchResult.fromFlat(2, 3, new float[] {9, 8, 0, 7, 0, 0},
                new long[] {4, 2, -1, 5, -1, -1});
        assertEquals(2, r.queries());
        assertArrayEquals(new long[] {5, -1, -1}, r.ids()[1]);
        assertEquals(2, r.hits(0));
        SearchResult kept = r.withoutPadding();
        assertArrayEquals(new long[] {4, 2}, kept.ids()[0]);
        assertArrayEquals(new float[] {9, 8}, kept.scores()[0]);
        assertArrayEquals(new long[] {5}, kept.ids()[1]);
        assertArrayEquals(new float[] {7}, kept.scores()[1]);
    }

    @Test
    void equalsComparesContents() {
        SearchResult a = new SearchResult(new long[][] {{1, 2}}, new float[][] {{0.5f, 0.25f}});
        SearchResult b = new SearchResult(new long[][] {{1, 2}}, new float[][] {{0.5f, 0.25f}});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new SearchResult(new long[][] {{2, 1}}, new float[][] {{0.5f, 0.25f}}));
    }

    @Test
    void rejectsMismatchedRows() {
        assertThrows(IllegalArgumentException.class,
                () -> new SearchResult(new long[][] {{1}}, new float[][] {{1f}, {2f}}));
        assertThrows(IllegalArgumentException.class,
                () -> new SearchResult(new long[][] {{1, 2}}, new float[][] {{1f}}));
    }
}
