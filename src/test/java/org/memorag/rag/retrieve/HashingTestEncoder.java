package org.memorag.rag.retrieve;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.memorag.engine.encode.Encoder;

/**
 * A tiny deterministic encoder for rule tests only (merge, batching, validation): hashed bag of
 * lower-cased words, L2-normalised. It knows no meaning; retrieval quality is tested with the
 * real BGE model.
 */
final class HashingTestEncoder implements Encoder {
    final List<List<String>> calls = new ArrayList<>();
    final List<Integer> maxTokensSeen = new ArrayList<>();
    private final int dimension;
    private float normScale = 1f;
    private int lengthError;

    HashingTestEncoder(int dimension) {
        this.dimension = dimension;
    }

    /** Makes later vectors non-unit (scale) to test the embedder's check. */
    HashingTestEncoder scaleNorms(float scale) {
        this.normScale = scale;
        return this;
    }

    /** Makes later vectors this many floats too long. */
    HashingTestEncoder lengthError(int extra) {
        this.lengthError = extra;
        return this;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public synchronized float[][] encode(List<String> texts, int maxTokens) {
        calls.add(List.copyOf(texts));
        maxTokensSeen.add(maxTokens);
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            out[i] = vector(texts.get(i));
        }
        return out;
    }

    float[] vector(String text) {
        float[] v = new float[dimension + lengthError];
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                v[Math.floorMod(w.hashCode(), dimension)] += 1f;
            }
        }
        double sq = 0;
        for (float x : v) {
            sq += x * x;
        }
        if (sq == 0) {
            v[0] = 1f;
            sq = 1;
        }
        float inv = (float) (normScale / Math.sqrt(sq));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    @Override
    public String fingerprint() {
        return "hashing-test-" + dimension;
    }

    @Override
    public void close() {}
}
