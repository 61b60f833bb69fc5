package org.memorag.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.memorag.engine.ops.Attention;
import org.memorag.engine.ops.KvSegment;
import org.memorag.engine.ops.Mask;
import org.memorag.engine.ops.NativeAttention;

/**
 * One layer's causal attention of the benchmark model's shape (12 heads of 64 on 4 kv heads), the
 * last {@code rows} query rows over {@code keys} cached keys read in place from a cache buffer:
 * the fused native kernel against the same call on DJL ops, and against the fp32 matmul ceiling.
 * Usage: {@code scripts/bench.sh AttentionBench [--keys 512,4096,16384] [--rows 1,64,2048]
 * [--reps 5] [--threads 2] [--avx2] [--portable]} (adds the kernel's AVX2 or portable loops).
 */
public final class AttentionBench {
    private static final int HEADS = 12;
    private static final int KV_HEADS = 4;
    private static final int HEAD_DIM = 64;

    private AttentionBench() {}

    public static void main(String[] args) {
        int[] keyCounts = {512, 4096, 16384};
        int[] rowCounts = {1, 64, 2048};
        int reps = 5;
        int threads = 2;
        List<Attention.Implementation> impls = new ArrayList<>(List.of(
                Attention.Implementation.DJL, Attention.Implementation.NATIVE));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keys" -> keyCounts = ints(args[++i]);
                case "--rows" -> rowCounts = ints(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--portable" -> impls.add(Attention.Implementation.NATIVE_PORTABLE);
                case "--avx2" -> impls.add(Attention.Implementation.NATIVE_AVX2);
                default -> throw new IllegalArgumentException("AttentionBench: unknown argument "
                        + args[i] + "; see the class comment for the usage");
            }
        }
        if (!NativeAttention.available()) {
            throw new IllegalStateException(NativeAttention.unavailableReason());
        }
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        MatmulCeiling.Result ceiling = MatmulCeiling.measure(threads);
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "### AttentionBench: %d heads of %d on %d kv heads,"
                + " %d threads, commit %s, AVX-512: %s, AVX2: %s%n", HEADS, HEAD_DIM, KV_HEADS,
                threads, BenchCommit.head(), NativeAttention.hasAvx512(),
                NativeAttention.hasAvx2()));
        table.append(String.format(Locale.ROOT, "- fp32 matmul ceiling %.1f GFLOP/s (%s); best of"
                + " %d calls each; FLOPs = 4 x headDim x heads x visible (query, key) pairs%n",
                ceiling.best(), ceiling, reps));
        table.append("| keys | rows |");
        for (Attention.Implementation impl : impls) {
            table.append(' ').append(impl.name().toLowerCase(Locale.ROOT)).append(" ms |");
        }
        table.append(" native vs djl | native GFLOP/s | % of ceiling |\n|---|---|");
        table.append("---|".repeat(impls.size() + 3)).append('\n');
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (int keys : keyCounts) {
                NDArray kb = m.randomNormal(new Shape(KV_HEADS, keys + 64, HEAD_DIM));
                NDArray vb = m.randomNormal(new Shape(KV_HEADS, keys + 64, HEAD_DIM));
                for (int rows : rowCounts) {
                    if (rows > keys) {
                        continue;
                    }
                    double[] ms = new double[impls.size()];
                    for (int i = 0; i < impls.size(); i++) {
                        ms[i] = bestMs(m, kb, vb, keys, rows, impls.get(i), reps);
                    }
                    double pairs = (double) rows * (keys - rows) + rows * (rows + 1.0) / 2;
                    double gflops = 4.0 * HEAD_DIM * HEADS * pairs / (ms[1] * 1e6);
                    table.append(String.format(Locale.ROOT, "| %d | %d |", keys, rows));
                    for (double t : ms) {
                        table.append(String.format(Locale.ROOT, " %.3f |", t));
                    }
                    table.append(String.format(Locale.ROOT, " %.2fx | %.1f | %.0f%% |%n",
                            ms[0] / ms[1], gflops, 100 * gflops / ceiling.best()));
                    System.err.printf(Locale.ROOT, "[bench] keys=%d rows=%d done, load %s%n", keys,
                            rows, Machine.loadAverage());
                }
            }
        }
        System.out.print(table);
    }

    private static double bestMs(NDManager m, NDArray kb, NDArray vb, int keys, int rows,
            Attention.Implementation impl, int reps) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps + 1; r++) {   // the first call warms up
            try (NDManager s = m.newSubManager()) {
                NDArray q = s.randomNormal(new Shape(rows, HEADS, HEAD_DIM));
                List<KvSegment> segs = List.of(KvSegment.ofSlots(s, kb, vb, 0, keys));
                long t = System.nanoTime();
                NDArray out = Attention.attend(q, segs, Mask.causal(keys - rows,
                        OptionalInt.empty()), Attention.QUERY_CHUNK, 0, impl);
                out.toFloatArray();   // DJL on the CPU is synchronous; this reads the result
                double ms = (System.nanoTime() - t) / 1e6;
                if (r > 0) {
                    best = Math.min(best, ms);
                }
            }
        }
        return best;
    }

    private static int[] ints(String csv) {
        String[] p = csv.split(",");
        int[] v = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            v[i] = Integer.parseInt(p[i].trim());
        }
        return v;
    }
}
