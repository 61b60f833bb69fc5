package org.memorag.engine.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Comparisons of logit tables whose failure message names the worst (position, token id). */
public final class LogitAsserts {
    private LogitAsserts() {}

    /** Every row within {@code rel} of the row's largest |reference| logit. */
    public static void assertClose(double[][] ref, float[][] ours, double rel) {
        assertEquals(ref.length, ours.length, "number of positions");
        for (int t = 0; t < ref.length; t++) {
            assertEquals(ref[t].length, ours[t].length, "vocab at position " + t);
            double scale = 1e-12;
            for (double v : ref[t]) {
                scale = Math.max(scale, Math.abs(v));
            }
            int worst = 0;
            double worstDiff = 0;
            for (int i = 0; i < ref[t].length; i++) {
                double d = Math.abs(ref[t][i] - ours[t][i]);
                if (d > worstDiff || Double.isNaN(d)) {
                    worstDiff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                    worst = i;
                }
            }
            if (worstDiff > rel * scale) {
                fail("position " + t + ", token " + worst + ": reference " + ref[t][worst]
                        + ", engine " + ours[t][worst] + " (|diff| " + worstDiff + " > " + rel
                        + " x " + scale + ")");
            }
        }
    }

    /** Two engine tables equal within {@code rel} of each row's largest |value|. */
    public static void assertClose(float[][] expected, float[][] actual, double rel) {
        double[][] e = new double[expected.length][];
        for (int t = 0; t < expected.length; t++) {
            e[t] = new double[expected[t].length];
            for (int i = 0; i < e[t].length; i++) {
                e[t][i] = expected[t][i];
            }
        }
        assertClose(e, actual, rel);
    }
}
