package org.memorag.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input becomes a Java exception that says what was wrong, never a JVM crash. */
class FaissIndexErrorsTest {
    private static final int D = 8;

    private static <T extends Throwable> void assertFails(Class<T> type, Executable call,
            String... fragments) {
        T e = assertThrows(type, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
    }

    private static FaissIndex filledFlat(int n) {
        FaissIndex index = FaissIndex.create(D, "Flat", Metric.IP);
        index.add(Vectors.gaussian(n, D, 31));
        return index;
    }

    @Test
    void addOfRowWithWrongDimensionNamesTheRow() {
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.IP)) {
            float[][] rows = {new float[D], new float[D + 1]};
            assertFails(IllegalArgumentException.class, () -> index.add(rows),
                    "row 1", "9 floats", "dimension 8");
            assertEquals(0, index.ntotal());
        }
    }

    @Test
    void flatArrayOfWrongLengthIsRejected() {
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.IP)) {
            assertFails(IllegalArgumentException.class, () -> index.add(new float[3 * D - 1], 3),
                    "23 floats", "need 24");
            assertFails(IllegalArgumentException.class, () -> index.train(new float[D], 2),
                    "need 16");
        }
    }

    @Test
    void queryWithWrongDimensionIsRejected() {
        try (FaissIndex index = filledFlat(10)) {
            assertFails(IllegalArgumentException.class,
                    () -> index.search(new float[][] {new float[D - 1]}, 1),
                    "row 0", "dimension 8");
            assertFails(IllegalArgumentException.class,
                    () -> index.search(new float[][] {null}, 1), "row 0", "no array");
        }
    }

    @Test
    void nonPositiveKIsRejected() {
        try (FaissIndex index = filledFlat(10)) {
            float[][] q = Vectors.gaussian(1, D, 32);
            assertFails(IllegalArgumentException.class, () -> index.search(q, 0), "k must be > 0");
            assertFails(IllegalArgumentException.class, () -> index.search(q, -3), "got -3");
        }
    }

    @Test
    void hugeBatchTimesKIsRejectedBeforeAllocating() {
        try (FaissIndex index = filledFlat(10)) {
            assertFails(IllegalArgumentException.class,
                    () -> index.search(Vectors.gaussian(2, D, 33), Integer.MAX_VALUE),
                    "smaller batches");
        }
    }

    @Test
    void emptyBatchesAreRejected() {
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.L2)) {
            assertFails(IllegalArgumentException.class, () -> index.add(new float[0][]), "n=0");
            assertFails(IllegalArgumentException.class, () -> index.train(new float[0], 0), "n=0");
            assertFails(IllegalArgumentException.class, () -> index.search(new float[0][], 3),
                    "n=0");
            assertFails(IllegalArgumentException.class, () -> index.add((float[][]) null), "null");
        }
    }

    @Test
    void untrainedIvfRefusesAddAndSearch() {
        try (FaissIndex index = FaissIndex.create(D, "IVF4,Flat", Metric.L2)) {
            float[][] v = Vectors.gaussian(5, D, 34);
            assertFails(IllegalStateException.class, () -> index.add(v), "not trained", "train");
            assertFails(IllegalStateException.class, () -> index.search(v, 2), "not trained");
        }
    }

    @Test
    void ivfTrainingOnTooFewPointsReportsFaissMessage() {
        try (FaissIndex index = FaissIndex.create(D, "IVF16,Flat", Metric.L2)) {
            assertFails(FaissException.class, () -> index.train(Vectors.gaussian(5, D, 35)),
                    "FAISS train failed", "IVF16,Flat",
                    "should be at least as large as number of clusters");
        }
    }

    @Test
    void unknownFactoryStringIsNamed() {
        assertFails(FaissException.class, () -> FaissIndex.create(D, "NoSuchIndex42", Metric.IP),
                "'NoSuchIndex42'", "index_factory");
        assertFails(FaissException.class, () -> FaissIndex.create(D, "PQ3", Metric.L2), "'PQ3'");
    }

    @Test
    void badCreateArgumentsAreRejected() {
        assertFails(IllegalArgumentException.class, () -> FaissIndex.create(0, "Flat", Metric.IP),
                "dimension must be > 0");
        assertFails(IllegalArgumentException.class, () -> FaissIndex.create(D, " ", Metric.IP),
                "empty");
        assertFails(IllegalArgumentException.class, () -> FaissIndex.create(D, "Flat", null),
                "Metric.IP");
    }

    @Test
    void unknownParameterIsReported() {
        try (FaissIndex index = filledFlat(4)) {
            assertFails(FaissException.class, () -> index.setParameter("nprobe", 4), "nprobe");
        }
    }

    @Test
    void garbageAndEmptyBytesAreRejected() {
        byte[] garbage = new byte[256];
        new Random(36).nextBytes(garbage);
        assertFails(FaissException.class, () -> FaissIndex.fromBytes(garbage), "256 bytes",
                "corrupt");
        assertFails(FaissException.class, () -> FaissIndex.fromBytes("IxF".getBytes()),
                "truncated");
        assertFails(IllegalArgumentException.class, () -> FaissIndex.fromBytes(new byte[0]),
                "empty");
        assertFails(IllegalArgumentException.class, () -> FaissIndex.fromBytes(null), "null");
    }

    @Test
    void wrongIndexTypeTagIsRejected() {
        try (FaissIndex index = filledFlat(4)) {
            byte[] bytes = index.toBytes();
            bytes[0] = 'Z';
            assertFails(FaissException.class, () -> FaissIndex.fromBytes(bytes), "not recognized");
        }
    }

    @Test
    void everyTruncationOfFlatIvfAndHnswBytesIsRejected() {
        for (String factory : new String[] {"Flat", "IVF2,Flat", "HNSW4"}) {
            try (FaissIndex index = FaissIndex.create(D, factory, Metric.L2)) {
                index.train(Vectors.gaussian(80, D, 37));   // >= 39 points per IVF list: no warning
                index.add(Vectors.gaussian(20, D, 38));
                byte[] bytes = index.toBytes();
                for (int len = 1; len < bytes.length; len++) {
                    byte[] cut = Arrays.copyOf(bytes, len);
                    FaissException e = assertThrows(FaissException.class,
                            () -> FaissIndex.fromBytes(cut),
                            factory + " cut to " + len + " of " + bytes.length + " bytes");
                    assertTrue(e.getMessage().contains(len + " bytes"), e.getMessage());
                }
            }
        }
    }

    @Test
    void trailingBytesAreRejected() {
        try (FaissIndex index = filledFlat(4)) {
            byte[] bytes = index.toBytes();
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
            assertFails(FaissException.class, () -> FaissIndex.fromBytes(longer),
                    "ends after " + bytes.length + " of " + longer.length, "trailing");
        }
    }

    @Test
    void everyCallAfterCloseSaysClosed() {
        FaissIndex index = filledFlat(4);
        index.close();
        float[][] q = Vectors.gaussian(1, D, 38);
        for (Executable call : new Executable[] {() -> index.search(q, 1), () -> index.add(q),
                () -> index.train(q), index::ntotal, index::isTrained, index::toBytes, index::reset,
                () -> index.setParameter("nprobe", 2)}) {
            assertFails(IllegalStateException.class, call, "is closed",
                    "FaissIndex[Flat, d=8, IP]");
        }
    }

    @Test
    void nativeLayerChecksLengthsAndHandlesItself() {
        NativeLibrary.ensureLoaded();
        try (FaissIndex index = filledFlat(4)) {
            long h = FaissNative.deserialize(index.toBytes());
            try {
                assertFails(IllegalArgumentException.class,
                        () -> FaissNative.add(h, 2, new float[D]),
                        "8 floats", "16 were expected");
                assertFails(IllegalArgumentException.class,
                        () -> FaissNative.search(h, 1, new float[D], 2,
                        new float[2], new long[1]), "labels has 1");
                assertFails(IllegalArgumentException.class, () -> FaissNative.search(h, 1, null, 2,
                        new float[2], new long[2]), "queries is null");
                assertFails(IllegalArgumentException.class,
                        () -> FaissNative.train(h, -1, new float[0]),
                        "must be > 0");
            } finally {
                FaissNative.free(h);
            }
        }
        assertFails(IllegalStateException.class, () -> FaissNative.ntotal(0), "handle is 0");
        assertFails(IllegalStateException.class, () -> FaissNative.search(0, 1, new float[D], 1,
                new float[1], new long[1]), "handle is 0");
    }
}
