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

        private String caller;
        private int awaitHelperFrom = Integer.MAX_VALUE;

        /**
         * From call {@code n} on, the caller's calls wait (at most 10 s) until a helper thread has
         * called too, so a slow machine cannot let the caller take every batch before a helper
         * starts: the tests then check who ran, not how fast threads start.
         */
        ThreadRecordingEncoder awaitHelperFrom(int n) {
            this.caller = Thread.currentThread().getName();
            this.awaitHelperFrom = n;
            return this;
        }

        @Override
        public float[][] encode(List<String> texts, int maxTokens) {
            int call = calls.getAndIncrement();
            onCall.accept(call);
            String me = Thread.currentThread().getName();
            threads.add(me);
            if (call >= awaitHelperFrom && me.equals(caller)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (threads.size() < 2 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
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

    /** Another thread that occupies a core of the budget until {@link #finish}. */
    private static final class OtherTask {
        private final CountDownLatch release = new CountDownLatch(1);
        private final Thread thread;

        private OtherTask(CoreBudget budget, CountDownLatch held) {
            thread = new Thread(() -> {
                try (CoreBudget.Slot s = budget.occupy()) {
                    held.countDown();
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "other-task");
        }

        static OtherTask occupying(CoreBudget budget) throws InterruptedException {
            CountDownLatch held = new CountDownLatch(1);
            OtherTask t = new OtherTask(budget, held);
            t.thread.start();
            assertTrue(held.await(10, TimeUnit.SECONDS), "the other task took its core");
            return t;
        }

        /** Gives the core back and waits until the thread has ended. */
        void finish() {
            release.countDown();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        ThreadRecordingEncoder enc = new ThreadRecordingEncoder(i -> { }).awaitHelperFrom(0);
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
        OtherTask other = OtherTask.occupying(budget);
        ThreadRecordingEncoder enc = new ThreadRecordingEncoder(i -> { });
        new Embedder(enc, ONE_PER_BATCH, budget).embedDocuments(texts(12));
        assertEquals(Set.of(Thread.currentThread().getName()), enc.threads);
        other.finish();
        assertEquals(0, budget.busy());
    }

    @Test
    void aCoreFreedMidCallIsBorrowedForTheRemainingBatches() throws Exception {
        CoreBudget budget = new CoreBudget(2);
        OtherTask other = OtherTask.occupying(budget);
        ThreadRecordingEncoder enc = new ThreadRecordingEncoder(i -> {
            if (i == 2) {  // the other task ends while this call has 37 batches to go
                other.finish();
            }
        }).awaitHelperFrom(3);
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
