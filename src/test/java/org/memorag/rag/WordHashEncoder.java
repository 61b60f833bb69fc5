package org.memorag.rag;

import java.util.List;
import java.util.Locale;
import org.memorag.engine.encode.Encoder;

/**
 * A bag-of-words encoder (hashed lower-case words, L2-normalised) for tests of ranking
 * mechanics; tests about meaning use the real BGE-small model.
 */
public final class WordHashEncoder implements Encoder {
    private static final int DIM = 256;

    @Override
    public int dimension() {
        return DIM;
    }

    @Override
    public float[][] encode(List<String> texts, int maxTokens) {
        float[][] out = new float[texts.size()][DIM];
        for (int i = 0; i < texts.size(); i++) {
            for (String w : texts.get(i).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (!w.isEmpty()) {
                    out[i][Math.floorMod(w.hashCode(), DIM)] += 1;
                }
            }
            double n = 0;
            for (float x : out[i]) {
                n += x * x;
            }
            for (int j = 0; j < DIM; j++) {
                out[i][j] /= (float) Math.max(Math.sqrt(n), 1e-9);
            }
        }
        return out;
    }

    @Override
    public String fingerprint() {
        return "wordhash256";
    }

    @Override
    public void close() {}
}
