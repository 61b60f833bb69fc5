package org.memorag.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.memorag.index.FaissIndex;
import org.memorag.index.Metric;
import org.memorag.index.SearchResult;

/**
 * Measures the FAISS binding on a retrieval-sized Flat IP index: add of 20,000 x 384 unit vectors
 * and one batched search of 64 queries (k = 10), against two baselines from the same run — the
 * same FAISS through Python (Debian python3-faiss, when present) and a plain Java brute-force scan.
 *
 * <p>Run: {@code scripts/bench.sh FaissBench [n] [d] [queries]}. Thread pools follow the
 * environment ({@code OMP_NUM_THREADS}, {@code OPENBLAS_NUM_THREADS}), printed in the table.
 */
public final class FaissBench {
    private static final int K = 10;
    private static final int ADD_REPS = 5;
    private static final int SEARCH_WARMUP = 5;
    private static final int SEARCH_REPS = 30;
    private static final String PYTHON = System.getProperty("memorag.test.python",
            "/usr/bin/python3");

    private FaissBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 384;
        int nq = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        float[] base = unitRows(n, d, 1);
        float[] queries = unitRows(nq, d, 2);

        double[] add = new double[ADD_REPS];
        for (int r = 0; r < ADD_REPS; r++) {
            try (FaissIndex index = FaissIndex.create(d, "Flat", Metric.IP)) {
                long t0 = System.nanoTime();
                index.add(base, n);
                add[r] = ms(t0);
            }
        }
        double[] search = new double[SEARCH_REPS];
        SearchResult result = null;
        try (FaissIndex index = FaissIndex.create(d, "Flat", Metric.IP)) {
            index.add(base, n);
            for (int r = 0; r < SEARCH_WARMUP; r++) {
                index.search(queries, nq, K);
            }
            for (int r = 0; r < SEARCH_REPS; r++) {
                long t0 = System.nanoTime();
                result = index.search(queries, nq, K);
                search[r] = ms(t0);
            }
        }

        double[] scan = new double[3];
        long[] top1 = null;
        for (int r = 0; r < scan.length; r++) {
            long t0 = System.nanoTime();
            top1 = javaTop1(base, n, queries, nq, d);
            scan[r] = ms(t0);
        }
        int agree = 0;
        for (int q = 0; q < nq; q++) {
            agree += result.ids()[q][0] == top1[q] ? 1 : 0;
        }
        double[] py = python(n, d, nq);

        String env = "OMP_NUM_THREADS=" + envOr("OMP_NUM_THREADS") + ", OPENBLAS_NUM_THREADS="
                + envOr("OPENBLAS_NUM_THREADS");
        StringBuilder t = new StringBuilder();
        t.append("FaissBench: Flat IP, ").append(n).append(" x ").append(d).append(", ").append(nq)
                .append(" queries, k=").append(K).append('\n');
        t.append("machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.arch")).append(", no GPU used; ").append(env)
                .append("; commit ").append(BenchCommit.head()).append('\n');
        t.append("| step | ours (Java + JNI) | baseline | baseline value | ratio ours/baseline |")
                .append('\n');
        t.append("|---|---|---|---|---|\n");
        row(t, "add " + n + " x " + d + " (median of " + ADD_REPS + ")", median(add),
                "Python faiss add", py == null ? Double.NaN : py[0]);
        row(t, "search " + nq + " queries (median of " + SEARCH_REPS + ", max "
                + String.format("%.1f", max(search)) + " ms)", median(search),
                "Python faiss search", py == null ? Double.NaN : py[1]);
        row(t, "search " + nq + " queries", median(search), "Java scalar scan (median of 3)",
                median(scan));
        t.append("top-1 agreement FAISS vs Java scan: ").append(agree).append('/').append(nq)
                .append('\n');
        if (py == null) {
            t.append("(Python baseline skipped: ").append(PYTHON)
                    .append(" with faiss not found)\n");
        }
        System.out.print(t);
    }

    private static void row(StringBuilder t, String step, double ours, String baseline,
            double value) {
        t.append(String.format("| %s | %.2f ms | %s | %s | %s |%n", step, ours, baseline,
                Double.isNaN(value) ? "n/a" : String.format("%.2f ms", value),
                Double.isNaN(value) ? "n/a" : String.format("%.2f", ours / value)));
    }

    /** Rows of standard-normal floats scaled to unit length (like normalised embeddings). */
    private static float[] unitRows(int n, int d, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                float x = (float) r.nextGaussian();
                v[i * d + j] = x;
                norm += x * x;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < d; j++) {
                v[i * d + j] *= inv;
            }
        }
        return v;
    }

    /** The baseline: best inner product per query by a plain loop. */
    private static long[] javaTop1(float[] base, int n, float[] queries, int nq, int d) {
        long[] best = new long[nq];
        for (int q = 0; q < nq; q++) {
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                float s = 0;
                for (int j = 0; j < d; j++) {
                    s += queries[q * d + j] * base[i * d + j];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best[q] = i;
                }
            }
        }
        return best;
    }

    /** Median add and search ms of the same sizes through Python faiss, or null without it. */
    private static double[] python(int n, int d, int nq) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return null;
        }
        String program = String.join("\n",
                "import sys, time, faiss, numpy as np",
                "n, d, nq, k = " + n + ", " + d + ", " + nq + ", " + K,
                "rng = np.random.RandomState(1)",
                "def unit(m):",
                "    x = rng.standard_normal((m, d)).astype(np.float32)",
                "    return x / np.linalg.norm(x, axis=1, keepdims=True)",
                "xb, xq = unit(n), unit(nq)",
                "adds = []",
                "for _ in range(" + ADD_REPS + "):",
                "    ix = faiss.IndexFlatIP(d); t = time.perf_counter(); ix.add(xb)",
                "    adds.append((time.perf_counter() - t) * 1e3)",
                "for _ in range(" + SEARCH_WARMUP + "): ix.search(xq, k)",
                "s = []",
                "for _ in range(" + SEARCH_REPS + "):",
                "    t = time.perf_counter(); ix.search(xq, k)",
                "    s.append((time.perf_counter() - t) * 1e3)",
                "print(np.median(adds), np.median(s))");
        Process p = new ProcessBuilder(PYTHON, "-c", program).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            return null;
        }
        String[] parts = out.substring(out.lastIndexOf('\n') + 1).trim().split("\\s+");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }


    private static String envOr(String name) {
        String v = System.getenv(name);
        return v == null ? "unset" : v;
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
