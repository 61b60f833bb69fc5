package org.memorag.rag.retrieve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.memorag.engine.encode.Encoder;

/**
 * Embeds chunks and queries with an {@link Encoder}: documents and queries with their own
 * truncation lengths, queries with the optional instruction prefix, texts in batches.
 *
 * <p>Batches are formed from texts of similar length (sorted by length, longest first), so an
 * encoder that pads to the longest text of a call wastes little work on padding, and are
 * bounded by count and by padded tokens ({@link EmbedderConfig}); with {@code parallelism > 1}
 * several batches are encoded at once (the encoder contract makes it thread-safe). Results come
 * back in input order. Every vector is checked: {@code dimension()} floats, unit length (the
 * encoder contract, so inner product is cosine; invariant T18). Thread-safe when the encoder is.
 */
public final class Embedder {
    /** |norm - 1| allowed for an encoder's "L2-normalised" vectors (fp16 encoders included). */
    private static final double NORM_TOLERANCE = 1e-3;

    private final Encoder encoder;
    private final EmbedderConfig config;

    public Embedder(Encoder encoder, EmbedderConfig config) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.config = Objects.requireNonNull(config, "config");
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
        int threads = Math.min(config.parallelism(), batches.size());
        if (threads <= 1) {
            for (int[] b : batches) {
                encodeBatch(texts, order, b[0], b[1], maxTokens, prefix, kind, out);
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "embedder-" + kind);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> pending = new ArrayList<>();
            for (int[] b : batches) {
                pending.add(pool.submit(
                        () -> encodeBatch(texts, order, b[0], b[1], maxTokens, prefix, kind, out)));
            }
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding " + n + " " + kind
                    + " texts", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("embedding " + kind + " texts failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return out;
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
