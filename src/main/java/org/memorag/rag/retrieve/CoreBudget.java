package org.memorag.rag.retrieve;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cores that the threads of one JVM share for encoder calls: on a Spark executor, its task
 * slots; in a CLI, the machine. A thread that computes (a Spark task) {@link #occupy occupies} one
 * core for its whole run, so nobody borrows it even while the thread is busy with a memory model;
 * an embedding call borrows the cores nobody occupies for helper threads, one batch at a time.
 * When the other tasks of a stage have finished, the last document's chunks are embedded on
 * every core of the executor instead of one, and while all slots are busy no helper runs, so the
 * executor never has more compute threads than cores.
 */
public final class CoreBudget {
    /** The slot of a thread that occupies a core; closing it gives the core back. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private static final Slot ALREADY_HELD = () -> { };
    private static final ThreadLocal<CoreBudget> HELD = new ThreadLocal<>();
    /** Helper threads: at most the cores of all budgets, so an unbounded cached pool is bounded. */
    private static final ExecutorService HELPERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "embedder-helper");
        t.setDaemon(true);
        return t;
    });

    private final int cores;
    private final AtomicInteger busy = new AtomicInteger();

    public CoreBudget(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("a core budget needs >= 1 core, got " + cores);
        }
        this.cores = cores;
    }

    public int cores() {
        return cores;
    }

    /** Cores occupied or lent out right now. */
    public int busy() {
        return busy.get();
    }

    /**
     * Marks the calling thread as computing on one core until the slot closes. A thread that
     * already holds a core of this budget gets a no-op slot (nesting is free). A thread may
     * occupy a core even when all are taken (Spark decides how many tasks run, not us); it only
     * stops lending.
     */
    public Slot occupy() {
        if (HELD.get() == this) {
            return ALREADY_HELD;
        }
        busy.incrementAndGet();
        HELD.set(this);
        return () -> {
            HELD.remove();
            busy.decrementAndGet();
        };
    }

    /** Takes one idle core for a helper thread; false when every core is occupied or lent. */
    boolean tryBorrow() {
        while (true) {
            int b = busy.get();
            if (b >= cores) {
                return false;
            }
            if (busy.compareAndSet(b, b + 1)) {
                return true;
            }
        }
    }

    void giveBack() {
        busy.decrementAndGet();
    }

    static ExecutorService helpers() {
        return HELPERS;
    }
}
