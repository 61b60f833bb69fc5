package org.memorag.rag.generator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import org.memorag.engine.encode.Encoder;

/**
 * {@code generator.type=extractive}: no LLM. The answer is the evidence sentences most similar to
 * the question by the embedder (cosine of L2-normalised embeddings), best first; for a summary
 * (no question) the sentences nearest the centroid of all evidence sentences. The CPU default and
 * a benchmark baseline.
 */
public final class ExtractiveGenerator implements Generator {
    private final Encoder encoder;
    private final int sentences;
    private final String queryInstruction;
    private final int queryMaxTokens;
    private final int docMaxTokens;

    public ExtractiveGenerator(Encoder encoder, int sentences, String queryInstruction,
            int queryMaxTokens, int docMaxTokens) {
        if (sentences <= 0) {
            throw new IllegalArgumentException("extractive.sentences must be > 0, got "
                    + sentences);
        }
        this.encoder = encoder;
        this.sentences = sentences;
        this.queryInstruction = queryInstruction;
        this.queryMaxTokens = queryMaxTokens;
        this.docMaxTokens = docMaxTokens;
    }

    @Override
    public String type() {
        return "extractive";
    }

    @Override
    public String fingerprint() {
        return "extractive:" + encoder.fingerprint();
    }

    @Override
    public Generated generate(GenerationRequest request) {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String p : request.passages()) {
            unique.addAll(Sentences.split(p));
        }
        List<String> candidates = new ArrayList<>(unique);
        if (candidates.isEmpty()) {
            return new Generated("", 0, 0);
        }
        float[][] vectors = encoder.encode(candidates, docMaxTokens);
        float[] query = request.question() == null || request.question().isBlank()
                ? centroid(vectors)
                : encoder.encode(List.of(queryInstruction + request.question()),
                        queryMaxTokens)[0];
        List<Integer> order = new ArrayList<>();
        double[] score = new double[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            score[i] = dot(query, vectors[i]);
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -score[i])
                .thenComparingInt(i -> i));
        List<String> best = new ArrayList<>();
        for (int i = 0; i < Math.min(sentences, order.size()); i++) {
            best.add(candidates.get(order.get(i)));
        }
        return new Generated(String.join(" ", best), 0, 0);
    }

    private static float[] centroid(float[][] v) {
        float[] c = new float[v[0].length];
        for (float[] row : v) {
            for (int j = 0; j < c.length; j++) {
                c[j] += row[j];
            }
        }
        return c;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (double) a[j] * b[j];
        }
        return s;
    }
}
