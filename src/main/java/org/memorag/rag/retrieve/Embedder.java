package org.memorag.rag.retrieve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.memorag.engine.encode.Encoder;

/**
 * Embeds chunks and queries with an {@link Encoder}: documents and queries with their own
 * truncation lengths, queries with the optional instruction prefix, texts in batches.
 *
 * <p>Batches are formed from texts of similar length (sorted by length, longest first), so an
 * encoder that pads to the longest text of a call wastes little work on padding, and are
 * bounded by count and by padded tokens ({@link EmbedderConfig}). Batches run on the calling
 * thread and on helper threads for the idle cores of the {@link CoreBudget} (of
 * {@code parallelism} cores, shared by every thread that uses this embedder; the encoder
 * contract makes concurrent calls safe). Results come
 * back in input order. Every vector is checked: {@code dimension()} floats, unit length (the
 * encoder contract, so inner product is cosine; invariant T18). Thread-safe when the encoder is.
 */
public final class Embedder {
    /** |norm - 1| allowed for an encoder's "L2-normalised" vectors (fp16 encoders included). */
    private static final double NORM_TOLERANCE = 1e-3;

    private final Encoder encoder;
    private final EmbedderConfig config;
    private final CoreBudget budget;

    /** An embedder with its own budget of {@code config.parallelism()} cores. */
    public Embedder(Encoder encoder, EmbedderConfig config) {
        this(encoder, config, new CoreBudget(config.parallelism()));
    }

    /** An embedder whose calls share {@code budget} with the other threads that occupy it. */
    public Embedder(Encoder encoder, EmbedderConfig config, CoreBudget budget) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.config = Objects.requireNonNull(config, "config");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /** The cores this embedder's calls share (occupy one for a task's whole run). */
    public CoreBudget budget() {
        return budget;
    }

    public int dimension() {
        return encoder.dimension();
    }

    public EmbedderConfig config() {
        return config;
    }

    /** The encoder's fingerprint (for artifact versions). */
    public String fingerprint() {
        return encoder.fingerprint();
    }

    /** One unit vector per chunk text, truncated at {@code documentMaxTokens}. */
    public float[][] embedDocuments(List<String> texts) {
        return embed(texts, config.documentMaxTokens(), "", "document");
    }

    /**
     * How many of these chunk texts are longer than {@code documentMaxTokens} encoder tokens and
     * so embedded from their beginning only (BEACON_SPEC Q19: chunks are sized in cl100k tokens,
     * the encoder counts its own); 0 when the encoder cannot count tokens.
     */
    public int truncatedDocuments(List<String> texts) {
        int n = 0;
        for (String t : texts) {
            if (encoder.tokenCount(t) > config.documentMaxTokens()) {
                n++;
            }
        }
        return n;
    }

    /** One unit vector per query (instruction prepended), truncated at {@code queryMaxTokens}. */
    public float[][] embedQueries(List<String> queries) {
        return embed(queries, config.queryMaxTokens(), config.queryInstruction(), "query");
    }

    private float[][] embed(List<String> texts, int maxTokens, String prefix, String kind) {
        if (texts == null) {
            throw new IllegalArgumentException(kind + " list is null");
        }
        int n = texts.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException(kind + " " + i + " is null");
            }
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> texts.get(i).length())
                .reversed().thenComparingInt(i -> i));
        List<int[]> batches = new ArrayList<>(); // {from, to} into order
        for (int from = 0; from < n; ) {
            String first = prefix + texts.get(order[from]); // the longest of its batch
            int longest = EmbedderConfig.estimatedTokens(first, maxTokens);
            int perBatch = Math.max(1,
                    Math.min(config.batchSize(), config.batchTokens() / longest));
            int to = Math.min(n, from + perBatch);
            batches.add(new int[] {from, to});
            from = to;
        }
        float[][] out = new float[n][];
        try (CoreBudget.Slot self = budget.occupy()) {
            runBatches(batches, b -> encodeBatch(texts, order, b[0], b[1], maxTokens, prefix,
                    kind, out), n, kind);
        }
        return out;
    }

    /**
     * Runs the batches on the calling thread plus helpers on borrowed idle cores: before each
     * of its batches the caller takes every core that has become idle (another task finished),
     * so a long document left alone at the end of a stage spreads over the executor.
     */
    private void runBatches(List<int[]> batches, Consumer<int[]> encode,
            int n, String kind) {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable work = () -> {
            int i;
            while (failure.get() == null && (i = next.getAndIncrement()) < batches.size()) {
                try {
                    encode.accept(batches.get(i));
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        List<Future<?>> helpers = new ArrayList<>();
        try {
            while (failure.get() == null && next.get() < batches.size()) {
                // one helper per batch still unclaimed beyond the caller's next one
                while (batches.size() - next.get() > helpers.size() + 1 && budget.tryBorrow()) {
                    helpers.add(CoreBudget.helpers().submit(() -> {
                        try {
                            work.run();
                        } finally {
                            budget.giveBack();
                        }
                    }));
                }
                int i = next.getAndIncrement();
                if (i >= batches.size()) {
                    break;
                }
                try {
                    encode.accept(batches.get(i));
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        } finally {
            for (Future<?> f : helpers) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, new IllegalStateException("interrupted while"
                            + " embedding " + n + " " + kind + " texts", e));
                } catch (ExecutionException e) {
                    failure.compareAndSet(null, new IllegalStateException("embedding " + kind
                            + " texts failed", e.getCause()));
                }
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Encodes texts {@code order[from..to)} in one call and stores them at their positions. */
    private void encodeBatch(List<String> texts, Integer[] order, int from, int to,
            int maxTokens, String prefix, String kind, float[][] out) {
        List<String> batch = new ArrayList<>(to - from);
        for (int j = from; j < to; j++) {
            batch.add(prefix + texts.get(order[j]));
        }
        float[][] vectors = encoder.encode(batch, maxTokens);
        if (vectors == null || vectors.length != batch.size()) {
            throw new IllegalStateException("encoder " + encoder.fingerprint() + " returned "
                    + (vectors == null ? "null" : vectors.length + " vectors") + " for "
                    + batch.size() + " texts");
        }
        int dimension = encoder.dimension();
        for (int j = from; j < to; j++) {
            float[] v = vectors[j - from];
            check(v, dimension, kind, order[j]);
            out[order[j]] = v; // distinct slots per batch: no two threads write the same one
        }
    }

    private void check(float[] v, int dimension, String kind, int index) {
        if (v == null || v.length != dimension) {
            throw new IllegalStateException("encoder " + encoder.fingerprint() + " returned a "
                    + (v == null ? "null" : v.length + "-float") + " vector for " + kind + " "
                    + index + " but declares dimension " + dimension);
        }
        double sq = 0;
        for (float x : v) {
            sq += (double) x * x;
        }
        if (Math.abs(Math.sqrt(sq) - 1.0) > NORM_TOLERANCE) {
            throw new IllegalStateException("encoder " + encoder.fingerprint() + " returned a"
                    + " vector of norm " + Math.sqrt(sq) + " for " + kind + " " + index
                    + "; encoders must L2-normalise so that inner product is cosine");
        }
    }
}
