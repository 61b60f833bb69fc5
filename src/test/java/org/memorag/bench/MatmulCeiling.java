package org.memorag.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * The fp32 matmul ceiling of this machine through the same DJL PyTorch engine our model runs on:
 * best of several timed products for a square 1024^3 and for a prefill-shaped
 * [4096, 768] x [768, 3072] (an MLP projection of a 4K chunk). GFLOP/s = 2mnk / seconds.
 */
final class MatmulCeiling {
    private MatmulCeiling() {}

    record Result(double square, double prefillShaped) {
        double best() {
            return Math.max(square, prefillShaped);
        }

        Result best(Result o) {
            return new Result(Math.max(square, o.square), Math.max(prefillShaped, o.prefillShaped));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "1024^3 %.1f GFLOP/s, [4096,768]x[768,3072] %.1f GFLOP/s",
                    square, prefillShaped);
        }
    }

    static Result measure() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            return new Result(gflops(m, 1024, 1024, 1024, 12), gflops(m, 4096, 768, 3072, 6));
        }
    }

    private static double gflops(NDManager m, int rows, int inner, int cols, int reps) {
        NDArray a = m.randomNormal(new Shape(rows, inner));
        NDArray b = m.randomNormal(new Shape(inner, cols));
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps + 2; i++) {
            try (NDManager s = m.newSubManager()) {
                long t = System.nanoTime();
                NDArray c = a.matMul(b);
                c.attach(s);
                c.toFloatArray();   // forces the product; the copy out is ~1% of its time
                long dt = System.nanoTime() - t;
                if (i >= 2) {
                    best = Math.min(best, dt);
                }
            }
        }
        return 2.0 * rows * inner * cols / best;
    }
}
