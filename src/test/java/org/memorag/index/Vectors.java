package org.memorag.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/** Test data and the reference search: random vectors and a float64 brute-force top-k. */
final class Vectors {
    private Vectors() {}

    /** {@code n} rows of {@code d} standard normal floats. */
    static float[][] gaussian(int n, int d, long seed) {
        Random r = new Random(seed);
        float[][] v = new float[n][d];
        for (float[] row : v) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return v;
    }

    /** {@code n} rows around {@code clusters} centres (spread 0.25), like embeddings of topics. */
    static float[][] clustered(int n, int d, int clusters, long seed) {
        float[][] centres = gaussian(clusters, d, seed ^ 0x5DEECE66DL);
        Random r = new Random(seed);
        float[][] v = new float[n][d];
        for (int i = 0; i < n; i++) {
            float[] c = centres[r.nextInt(clusters)];
            for (int j = 0; j < d; j++) {
                v[i][j] = c[j] + 0.25f * (float) r.nextGaussian();
            }
        }
        return v;
    }

    /** Score of x against y in float64: dot product (IP) or squared distance (L2). */
    static double score(Metric metric, float[] x, float[] y) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            s += metric == Metric.IP ? (double) x[j] * y[j]
                    : ((double) x[j] - y[j]) * (x[j] - y[j]);
        }
        return s;
    }

    /** Ids of the {@code k} closest base rows of every query (exact, float64). */
    static long[][] bruteForce(Metric metric, float[][] base, float[][] queries, int k) {
        long[][] ids = new long[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            float[] query = queries[q];
            double[] s = Arrays.stream(base).mapToDouble(b -> score(metric, query, b)).toArray();
            Comparator<Integer> closer = Comparator.comparingDouble(i -> s[i]);
            ids[q] = IntStream.range(0, base.length).boxed()
                    .sorted(metric.higherIsCloser() ? closer.reversed() : closer)
                    .limit(k).mapToLong(Integer::longValue).toArray();
        }
        return ids;
    }

    /**
     * Asserts FAISS returned the exact top-k: same ids in the same order, except where two
     * neighbours' float64 scores tie within {@code tol} (float32 rounding may then swap them),
     * and scores equal to the float64 reference within {@code tol} (relative to 1 + |score|).
     */
    static void assertExactTopK(Metric metric, float[][] base, float[][] queries, int k,
            SearchResult got, double tol) {
        long[][] want = bruteForce(metric, base, queries, k);
        for (int q = 0; q < queries.length; q++) {
            for (int j = 0; j < k; j++) {
                long id = got.ids()[q][j];
                if (id < 0 || id >= base.length) {
                    fail("query " + q + " rank " + j + ": id " + id + " is not a base row");
                }
                double wantScore = score(metric, queries[q], base[(int) want[q][j]]);
                double gotRefScore = score(metric, queries[q], base[(int) id]);
                double slack = tol * (1 + Math.abs(wantScore));
                if (id != want[q][j] && Math.abs(wantScore - gotRefScore) > slack) {
                    fail("query " + q + " rank " + j + ": FAISS returned id " + id + " (score "
                            + gotRefScore + "), brute force id " + want[q][j]
                            + " (score " + wantScore + ")");
                }
                assertEquals(wantScore, got.scores()[q][j], slack,
                        "query " + q + " rank " + j + " score");
            }
        }
    }

    /** Fraction of brute-force top-k ids that {@code got} also returned (recall@k). */
    static double recall(long[][] want, SearchResult got) {
        long found = 0;
        long total = 0;
        for (int q = 0; q < want.length; q++) {
            long[] row = got.ids()[q];
            for (long id : want[q]) {
                total++;
                if (Arrays.stream(row).anyMatch(x -> x == id)) {
                    found++;
                }
            }
        }
        return (double) found / total;
    }
}
