package org.memorag.rag.retrieve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.memorag.engine.encode.Encoder;

class CoreBudgetTest {
    /** Records the thread of every call; optionally runs a hook on the n-th call. */
    private static final class ThreadRecordingEncoder implements Encoder {
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final List<String> callThreads = java.util.Collections.synchronizedList(new ArrayList<>());
        private final HashingTestEncoder inner = new HashingTestEncoder(8);
        private final IntConsumer onCall;
        private final java.util.concurrent.atomic.AtomicInteger calls =
                new java.util.concurrent.atomic.AtomicInteger();

        ThreadRecordingEncoder(IntConsumer onCall) {
            this.onCall = onCall;
        }

        @Override
        public int dimension() {
            return 8;
        }

        @Override
        public float[][] encode(List<String> texts, int maxTokens) {
            onCall.accept(calls.getAndIncrement());
            threads.add(Thread.currentThread().getName());
            callThreads.add(Thread.currentThread().getName());
            try {
                Thread.sleep(5);  // long enough that the caller loops while helpers work
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                out[i] = inner.vector(texts.get(i));
            }
            return out;
        }

        @Override
        public String fingerprint() {
            return "recording";
        }

        @Override
        public void close() {}
    }

    private static List<String> texts(int n) {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            t.add("text " + i + " about " + (i % 5));
        }
        return t;
    }

    private static final EmbedderConfig ONE_PER_BATCH = EmbedderConfig.DEFAULT.withBatchSize(1);

    @Test
    void idleCoresRunHelpersAndVectorsStayInOrder() {
        ThreadRecordingEncoder enc = new ThreadRecordingEncoder(i -> { });
        CoreBudget budget = new CoreBudget(3);
        float[][] got = new Embedder(enc, ONE_PER_BATCH, budget).embedDocuments(texts(30));
        float[][] serial = new Embedder(new HashingTestEncoder(8), ONE_PER_BATCH)
                .embedDocuments(texts(30));
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(serial[i], got[i], "vector " + i);
        }
        assertTrue(enc.threads.size() >= 2, "threads " + enc.threads);
        assertTrue(enc.threads.size() <= 3, "never more threads than cores: " + enc.threads);
        assertEquals(0, budget.busy(), "every core given back");
    }

    @Test
    void noHelperWhileEveryCoreIsOccupied() throws Exception {
        CoreBudget budget = new CoreBudget(2);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            try (CoreBudget.Slot s = budget.occupy()) {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        assertTrue(held.await(10, TimeUnit.SECONDS));
        ThreadRecordingEncoder enc = new ThreadRecordingEncoder(i -> { });
        new Embedder(enc, ONE_PER_BATCH, budget).embedDocuments(texts(12));
        assertEquals(Set.of(Thread.currentThread().getName()), enc.threads);
        release.countDown();
        other.join();
        assertEquals(0, budget.busy());
    }

    @Test
    void aCoreFreedMidCallIsBorrowedForTheRemainingBatches() throws Exception {
        CoreBudget budget = new CoreBudget(2);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            try (CoreBudget.Slot s = budget.occupy()) {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "other-task");
        other.start();
        assertTrue(held.await(10, TimeUnit.SECONDS));
        ThreadRecordingEncoder enc = new ThreadRecordingEncoder(i -> {
            if (i == 2) {  // the other task ends while this call has 37 batches to go
                release.countDown();
                try {
                    other.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        new Embedder(enc, ONE_PER_BATCH, budget).embedDocuments(texts(40));
        String me = Thread.currentThread().getName();
        assertTrue(enc.callThreads.subList(0, 3).stream().allMatch(me::equals),
                enc.callThreads.subList(0, 3).toString());
        assertTrue(enc.threads.size() == 2, "a helper joined: " + enc.threads);
        assertEquals(0, budget.busy());
    }

    @Test
    void occupyingTwiceOnOneThreadCountsOnce() {
        CoreBudget budget = new CoreBudget(2);
        try (CoreBudget.Slot a = budget.occupy(); CoreBudget.Slot b = budget.occupy()) {
            assertEquals(1, budget.busy());
        }
        assertEquals(0, budget.busy());
    }

    @Test
    void aFailingHelperBatchFailsTheCallAndGivesCoresBack() {
        CoreBudget budget = new CoreBudget(3);
        Embedder embedder = new Embedder(new HashingTestEncoder(8).lengthError(1), ONE_PER_BATCH,
                budget);
        assertThrows(IllegalStateException.class, () -> embedder.embedDocuments(texts(20)));
        assertEquals(0, budget.busy());
    }

    @Test
    void aBudgetNeedsACore() {
        assertThrows(IllegalArgumentException.class, () -> new CoreBudget(0));
    }
}
