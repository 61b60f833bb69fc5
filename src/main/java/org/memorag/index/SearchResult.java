package org.memorag.index;

import java.util.Arrays;

/**
 * Hits of a batched {@link FaissIndex#search}: row {@code q} holds the ids and scores of query
 * {@code q}, closest first. Scores are inner products for {@link Metric#IP} (higher is closer) and
 * squared L2 distances for {@link Metric#L2} (lower is closer). When fewer than {@code k} vectors
 * qualify (k greater than ntotal, or a sparse IVF probe) the row is padded with id {@link #NO_HIT};
 * {@link #withoutPadding()} drops those.
 *
 * <p>The arrays are not copied: treat them as read-only. {@code equals} compares contents.
 */
public record SearchResult(long[][] ids, float[][] scores) {
    /** The id FAISS reports for an empty slot. */
    public static final long NO_HIT = -1L;

    public SearchResult {
        if (ids == null || scores == null) {
            throw new IllegalArgumentException("ids and scores must not be null");
        }
        if (ids.length != scores.length) {
            throw new IllegalArgumentException("ids has " + ids.length + " rows but scores has "
                    + scores.length + "; both need one row per query");
        }
        for (int q = 0; q < ids.length; q++) {
            if (ids[q] == null || scores[q] == null || ids[q].length != scores[q].length) {
                throw new IllegalArgumentException("row " + q
                        + " of ids and scores differ in length (or one is null)");
            }
        }
    }

    /** Splits FAISS's flat {@code n * k} output arrays into one row per query. */
    static SearchResult fromFlat(int n, int k, float[] distances, long[] labels) {
        long[][] ids = new long[n][];
        float[][] scores = new float[n][];
        for (int q = 0; q < n; q++) {
            ids[q] = Arrays.copyOfRange(labels, q * k, (q + 1) * k);
            scores[q] = Arrays.copyOfRange(distances, q * k, (q + 1) * k);
        }
        return new SearchResult(ids, scores);
    }

    /** Number of queries (rows). */
    public int queries() {
        return ids.length;
    }

    /** Number of real hits (ids other than {@link #NO_HIT}) of query {@code q}. */
    public int hits(int q) {
        int count = 0;
        for (long id : ids[q]) {
            if (id != NO_HIT) {
                count++;
            }
        }
        return count;
    }

    /** A copy in which every row keeps only its real hits, in the same order. */
    public SearchResult withoutPadding() {
        long[][] keptIds = new long[ids.length][];
        float[][] keptScores = new float[ids.length][];
        for (int q = 0; q < ids.length; q++) {
            int n = hits(q);
            keptIds[q] = new long[n];
            keptScores[q] = new float[n];
            int j = 0;
            for (int i = 0; i < ids[q].length; i++) {
                if (ids[q][i] != NO_HIT) {
                    keptIds[q][j] = ids[q][i];
                    keptScores[q][j] = scores[q][i];
                    j++;
                }
            }
        }
        return new SearchResult(keptIds, keptScores);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchResult other
                && Arrays.deepEquals(ids, other.ids) && Arrays.deepEquals(scores, other.scores);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(ids) + Arrays.deepHashCode(scores);
    }

    @Override
    public String toString() {
        return "SearchResult[ids=" + Arrays.deepToString(ids)
                + ", scores=" + Arrays.deepToString(scores) + "]";
    }
}
