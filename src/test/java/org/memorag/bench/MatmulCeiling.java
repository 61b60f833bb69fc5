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

    /** GFLOP/s by wall time, and GFLOP per CPU-second of this process. */
    record Result(double square, double prefillShaped, double squareCpu, double prefillShapedCpu) {
        double best() {
            return Math.max(square, prefillShaped);
        }

        double bestCpu() {
            return Math.max(squareCpu, prefillShapedCpu);
        }

        Result best(Result o) {
            return new Result(Math.max(square, o.square), Math.max(prefillShaped, o.prefillShaped),
                    Math.max(squareCpu, o.squareCpu),
                    Math.max(prefillShapedCpu, o.prefillShapedCpu));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "1024^3 %.1f GFLOP/s, [4096,768]x[768,3072] %.1f"
                    + " GFLOP/s (per CPU-second: %.1f, %.1f)", square, prefillShaped,
                    squareCpu, prefillShapedCpu);
        }
    }

    static Result measure(int threads) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            double[] a = gflops(m, 1024, 1024, 1024, 30, threads);
            double[] b = gflops(m, 4096, 768, 3072, 12, threads);
            return new Result(a[0], b[0], a[1], b[1]);
        }
    }

    /** {best repetition by wall time, mean per CPU-second}. */
    private static double[] gflops(NDManager m, int rows, int inner, int cols, int reps,
            int threads) {
        NDArray a = m.randomNormal(new Shape(rows, inner));
        NDArray b = m.randomNormal(new Shape(inner, cols));
        double best = Double.MAX_VALUE;
        long cpuStart = 0;
        for (int i = 0; i < reps + 2; i++) {
            if (i == 2) {
                cpuStart = EngineBench.cpuNanos();   // process CPU time ticks in ~10 ms: sum reps
            }
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
        double cpuPerRep = (EngineBench.cpuNanos() - cpuStart) / (double) reps;
        double flops = 2.0 * rows * inner * cols;
        return new double[] {flops / best, flops / cpuPerRep};
    }
}
