package org.memorag.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Approximate indexes find most true neighbours: recall@10 against float64 brute force of
 * "IVF16,Flat" (default nprobe 1) on clustered vectors, where IVF's partition pays off, and of
 * "HNSW32" (default efSearch 16) on unclustered ones (HNSW graphs can strand a query in one of
 * several far-apart clusters, so clustered data would measure that, not the binding).
 */
class FaissIndexRecallTest {
    private static final int K = 10;

    private static double recall(String factory, Metric metric, float[][] base, float[][] queries,
            String parameter, double value) {
        long[][] truth = Vectors.bruteForce(metric, base, queries, K);
        try (FaissIndex index = FaissIndex.create(base[0].length, factory, metric)) {
            index.train(base);
            index.add(base);
            if (parameter != null) {
                index.setParameter(parameter, value);
            }
            return Vectors.recall(truth, index.search(queries, K));
        }
    }

    @Test
    void ivf16FlatWithDefaultNprobeRecallsMostNeighbours() {
        float[][] base = Vectors.clustered(4000, 32, 16, 21);
        float[][] queries = Vectors.clustered(100, 32, 16, 22);
        for (Metric metric : Metric.values()) {
            double r = recall("IVF16,Flat", metric, base, queries, null, 0);
            assertTrue(r >= 0.7, "IVF16,Flat " + metric + " recall@10 = " + r);
        }
    }

    @Test
    void ivf16FlatProbingEveryListIsExact() {
        float[][] base = Vectors.clustered(4000, 32, 16, 23);
        float[][] queries = Vectors.clustered(50, 32, 16, 24);
        assertEquals(1.0, recall("IVF16,Flat", Metric.L2, base, queries, "nprobe", 16), 1e-9);
    }

    @Test
    void hnsw32RecallsMostNeighbours() {
        float[][] base = Vectors.gaussian(4000, 16, 25);
        float[][] queries = Vectors.gaussian(100, 16, 26);
        for (Metric metric : Metric.values()) {
            double r = recall("HNSW32", metric, base, queries, null, 0);
            assertTrue(r >= 0.9, "HNSW32 " + metric + " recall@10 = " + r);
        }
    }
}
