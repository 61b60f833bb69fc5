package org.memorag.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Exact search, padding, bookkeeping and the byte round trip of {@link FaissIndex}. */
class FaissIndexTest {
    private static final int D = 24;

    @Test
    void flatInnerProductReturnsExactTopK() {
        float[][] base = Vectors.gaussian(1000, D, 1);
        float[][] queries = Vectors.gaussian(30, D, 2);   // >= 20 queries: FAISS uses BLAS
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.IP)) {
            index.add(base);
            Vectors.assertExactTopK(Metric.IP, base, queries, 10, index.search(queries, 10), 1e-5);
        }
    }

    @Test
    void flatL2ReturnsExactTopKForFewAndManyQueries() {
        float[][] base = Vectors.gaussian(1000, D, 3);
        float[][] many = Vectors.gaussian(25, D, 4);
        float[][] few = Arrays.copyOf(many, 3);          // < 20 queries: FAISS's direct loop
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.L2)) {
            index.add(base);
            Vectors.assertExactTopK(Metric.L2, base, many, 7, index.search(many, 7), 1e-4);
            Vectors.assertExactTopK(Metric.L2, base, few, 7, index.search(few, 7), 1e-4);
        }
    }

    @Test
    void flatSearchOfStoredVectorFindsItselfFirst() {
        float[][] base = Vectors.gaussian(200, D, 5);
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.L2)) {
            index.add(base);
            SearchResult r = index.search(new float[][] {base[17], base[123]}, 1);
            assertArrayEquals(new long[] {17}, r.ids()[0]);
            assertArrayEquals(new long[] {123}, r.ids()[1]);
            assertEquals(0f, r.scores()[0][0], 1e-4f);
        }
    }

    @Test
    void kGreaterThanNtotalPadsWithMinusOne() {
        float[][] base = Vectors.gaussian(3, D, 6);
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.IP)) {
            index.add(base);
            SearchResult r = index.search(Vectors.gaussian(2, D, 7), 5);
            for (int q = 0; q < 2; q++) {
                assertEquals(3, r.hits(q), "query " + q);
                assertArrayEquals(new long[] {-1, -1}, Arrays.copyOfRange(r.ids()[q], 3, 5));
                long[] real = r.withoutPadding().ids()[q].clone();
                Arrays.sort(real);
                assertArrayEquals(new long[] {0, 1, 2}, real, "query " + q);
            }
        }
    }

    @Test
    void emptyIndexReturnsOnlyPadding() {
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.IP)) {
            SearchResult r = index.search(Vectors.gaussian(1, D, 8), 2);
            assertArrayEquals(new long[] {-1, -1}, r.ids()[0]);
            assertEquals(0, r.withoutPadding().ids()[0].length);
        }
    }

    @Test
    void addAssignsIdsInInsertionOrderAndResetRestartsThem() {
        float[][] base = Vectors.gaussian(10, D, 9);
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.L2)) {
            index.add(Arrays.copyOf(base, 4));
            index.add(flat(Arrays.copyOfRange(base, 4, 10)), 6);
            assertEquals(10, index.ntotal());
            assertArrayEquals(new long[] {7}, index.search(new float[][] {base[7]}, 1).ids()[0]);
            index.reset();
            assertEquals(0, index.ntotal());
            index.add(new float[][] {base[7]});
            assertArrayEquals(new long[] {0}, index.search(new float[][] {base[7]}, 1).ids()[0]);
        }
    }

    @Test
    void reportsDimensionMetricAndTraining() {
        try (FaissIndex flat = FaissIndex.create(D, "Flat", Metric.L2);
                FaissIndex ivf = FaissIndex.create(D, "IVF4,Flat", Metric.IP)) {
            assertEquals(D, flat.dimension());
            assertEquals(Metric.L2, flat.metric());
            assertTrue(flat.isTrained());
            assertEquals(Metric.IP, ivf.metric());
            assertFalse(ivf.isTrained());
            ivf.train(Vectors.gaussian(200, D, 10));
            assertTrue(ivf.isTrained());
            assertEquals(0, ivf.ntotal());
        }
    }

    @Test
    void bytesRoundTripGivesSameSearchResults() {
        float[][] base = Vectors.clustered(600, D, 4, 11);
        float[][] queries = Vectors.clustered(12, D, 4, 12);
        for (String factory : new String[] {"Flat", "IVF4,Flat", "HNSW16"}) {
            try (FaissIndex index = FaissIndex.create(D, factory, Metric.L2)) {
                index.train(base);
                index.add(base);
                SearchResult before = index.search(queries, 5);
                byte[] bytes = index.toBytes();
                try (FaissIndex copy = FaissIndex.fromBytes(bytes)) {
                    assertEquals(600, copy.ntotal(), factory);
                    assertEquals(D, copy.dimension(), factory);
                    assertEquals(Metric.L2, copy.metric(), factory);
                    assertEquals(before, copy.search(queries, 5), factory);
                    assertArrayEquals(bytes, copy.toBytes(), factory + ": re-serialized bytes");
                }
            }
        }
    }

    @Test
    void fromBytesNamesTheFaissClass() {
        try (FaissIndex index = FaissIndex.create(D, "HNSW8", Metric.IP);
                FaissIndex copy = FaissIndex.fromBytes(index.toBytes())) {
            assertEquals("IndexHNSWFlat", copy.description());
            assertEquals(Metric.IP, copy.metric());
        }
    }

    @Test
    void nprobeParameterWidensIvfSearch() {
        float[][] base = Vectors.gaussian(400, D, 13);
        float[][] queries = Vectors.gaussian(20, D, 14);
        try (FaissIndex index = FaissIndex.create(D, "IVF8,Flat", Metric.L2)) {
            index.train(base);
            index.add(base);
            index.setParameter("nprobe", 8);   // every list: IVF becomes exact
            Vectors.assertExactTopK(Metric.L2, base, queries, 5, index.search(queries, 5), 1e-4);
        }
    }

    @Test
    void closeIsIdempotentAndReported() {
        FaissIndex index = FaissIndex.create(D, "Flat", Metric.IP);
        assertFalse(index.isClosed());
        index.close();
        index.close();
        assertTrue(index.isClosed());
    }

    @Test
    void closeFreesTheNativeIndexAtOnce() {
        FaissIndex index = FaissIndex.create(D, "HNSW8", Metric.L2);
        long open = FaissNative.liveIndexes();
        index.close();
        assertEquals(open - 1, FaissNative.liveIndexes());
    }

    @Test
    @Timeout(60)
    void cleanerFreesIndexesNobodyClosed() throws InterruptedException {
        long before = FaissNative.liveIndexes();
        for (int i = 0; i < 5; i++) {
            FaissIndex.create(D, "Flat", Metric.IP).add(Vectors.gaussian(10, D, 15));
        }
        assertEquals(before + 5, FaissNative.liveIndexes());
        while (FaissNative.liveIndexes() > before) {   // the Cleaner runs after a GC finds them
            System.gc();
            Thread.sleep(20);
        }
    }

    static float[] flat(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
        }
        return out;
    }
}
