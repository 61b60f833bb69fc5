package org.memorag.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many threads may search one index; writers and close() wait for them and run alone. */
@Timeout(120)
class FaissIndexConcurrencyTest {
    private static final int D = 32;
    private static final int THREADS = 6;

    private static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<T> out = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(tasks)) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void concurrentSearchesGiveTheSerialResults() throws Exception {
        float[][] base = Vectors.gaussian(3000, D, 51);
        // batch sizes on both sides of FAISS's BLAS threshold (20 queries)
        float[][][] batches = {Vectors.gaussian(1, D, 52), Vectors.gaussian(7, D, 53),
                Vectors.gaussian(25, D, 54), Vectors.gaussian(64, D, 55)};
        for (String factory : new String[] {"Flat", "HNSW32"}) {
            try (FaissIndex index = FaissIndex.create(D, factory, Metric.IP)) {
                index.add(base);
                SearchResult[] serial = new SearchResult[batches.length];
                for (int b = 0; b < batches.length; b++) {
                    serial[b] = index.search(batches[b], 8);
                }
                List<Callable<Integer>> tasks = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int offset = t;
                    tasks.add(() -> {
                        int checked = 0;
                        for (int i = 0; i < 12; i++) {
                            int b = (i + offset) % batches.length;
                            assertEquals(serial[b], index.search(batches[b], 8),
                                    factory + " batch " + b + " differs from the serial result");
                            checked++;
                        }
                        return checked;
                    });
                }
                assertEquals(THREADS * 12,
                        runAll(tasks).stream().mapToInt(Integer::intValue).sum());
            }
        }
    }

    @Test
    void searchesNeverSeeAHalfDoneAdd() throws Exception {
        float[][] batch = Vectors.gaussian(10, D, 56);
        float[][] query = Vectors.gaussian(2, D, 57);
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.L2)) {
            AtomicBoolean adding = new AtomicBoolean(true);
            CountDownLatch searching = new CountDownLatch(THREADS - 1);
            List<Callable<Integer>> tasks = new ArrayList<>();
            tasks.add(() -> {
                assertTrue(searching.await(60, TimeUnit.SECONDS));
                for (int i = 0; i < 50; i++) {
                    index.add(batch);
                }
                adding.set(false);
                return 0;
            });
            for (int t = 1; t < THREADS; t++) {
                tasks.add(() -> {
                    int searches = 0;
                    do {
                        SearchResult r = index.search(query, 600);
                        for (int q = 0; q < 2; q++) {
                            assertEquals(0, r.hits(q) % 10, "a search saw part of an added batch");
                        }
                        if (searches++ == 0) {
                            searching.countDown();
                        }
                    } while (adding.get());
                    return searches;
                });
            }
            List<Integer> searches = runAll(tasks);
            assertEquals(500, index.ntotal());
            int total = searches.stream().mapToInt(Integer::intValue).sum();
            assertTrue(total > THREADS, "searches per thread " + searches);
        }
    }

    @Test
    void closeWaitsForInFlightSearchesThenEveryCallSaysClosed() throws Exception {
        FaissIndex index = FaissIndex.create(D, "Flat", Metric.IP);
        index.add(Vectors.gaussian(2000, D, 58));
        float[][] queries = Vectors.gaussian(64, D, 59);
        CountDownLatch everyThreadSearched = new CountDownLatch(THREADS - 1);
        List<Callable<String>> tasks = new ArrayList<>();
        for (int t = 1; t < THREADS; t++) {
            tasks.add(() -> {
                boolean counted = false;
                while (true) {
                    try {
                        assertEquals(64, index.search(queries, 4).queries());
                    } catch (IllegalStateException e) {
                        return e.getMessage();
                    }
                    if (!counted) {
                        everyThreadSearched.countDown();
                        counted = true;
                    }
                }
            });
        }
        tasks.add(() -> {
            assertTrue(everyThreadSearched.await(60, TimeUnit.SECONDS));
            index.close();
            return "closer";
        });
        for (String message : runAll(tasks)) {
            assertTrue(message.equals("closer") || message.contains("is closed"), message);
        }
        assertTrue(index.isClosed());
    }
}
