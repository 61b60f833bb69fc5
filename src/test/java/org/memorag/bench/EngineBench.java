package org.memorag.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.memorag.engine.model.Decoder;
import org.memorag.engine.model.DecoderConfig;
import org.memorag.engine.model.Decoders;
import org.memorag.engine.model.KvCache;
import org.memorag.engine.model.Prefill;
import org.memorag.engine.tensor.Device;
import org.memorag.engine.tokenize.HfTokenizer;

/**
 * Prefill and decode speed of our engine on a ~100M-parameter random Qwen2-shaped checkpoint
 * ({@link BenchCheckpoint}) at several prompt lengths, side by side in one run with Jlama (its own
 * Java 21+ JVM, scripts/bench/jlama.sh) and a PyTorch-eager forward in Python
 * (scripts/bench/torch_qwen2.py) on the same folder, prompt ids and thread count, plus the fp32
 * matmul ceiling measured in the same run ({@link MatmulCeiling}). Every engine: warm-up, then per
 * length {@code reps} runs of "prefill the prompt + logits of its last token" and "decode N tokens
 * greedily, one forward each"; medians reported. Prints one Markdown table to stdout.
 *
 * <p>Usage: {@code scripts/bench.sh EngineBench [--lengths 512,4096,16384] [--reps 3,2,1]
 * [--decode 32] [--threads 2] [--budget-s 240] [--skip jlama,torch]}
 */
public final class EngineBench {
    private EngineBench() {}

    record Options(int[] lengths, int[] reps, int decode, int threads, long budgetSeconds,
            List<String> skip) {
        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>(Map.of("--lengths", "512,4096,16384",
                    "--reps", "3,2,1", "--decode", "32", "--threads", "2", "--budget-s", "240",
                    "--skip", ""));
            for (int i = 0; i < args.length; i += 2) {
                if (!m.containsKey(args[i]) || i + 1 >= args.length) {
                    throw new IllegalArgumentException("EngineBench: unknown option or missing"
                            + " value '" + args[i] + "'; options: " + m.keySet());
                }
                m.put(args[i], args[i + 1]);
            }
            return new Options(ints(m.get("--lengths")), ints(m.get("--reps")),
                    Integer.parseInt(m.get("--decode")), Integer.parseInt(m.get("--threads")),
                    Long.parseLong(m.get("--budget-s")),
                    m.get("--skip").isEmpty() ? List.of() : List.of(m.get("--skip").split(",")));
        }

        int repsAt(int i) {
            return reps[Math.min(i, reps.length - 1)];
        }

        String csv(int[] v) {
            return String.join(",", Arrays.stream(v).mapToObj(String::valueOf).toList());
        }

        private static int[] ints(String csv) {
            return Arrays.stream(csv.split(",")).mapToInt(s -> Integer.parseInt(s.trim()))
                    .toArray();
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        // every engine gets the same intra-op thread count (DJL reads this at engine start)
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(o.threads()));
        Path project = Path.of(System.getProperty("memorag.project.dir", "."));
        Path out = Path.of(System.getProperty("memorag.build.dir", "target")).resolve("bench");
        Path dir = out.resolve("qwen2-100m");
        Files.createDirectories(out);
        int longest = Arrays.stream(o.lengths()).max().orElse(512);
        long t0 = System.nanoTime();
        BenchCheckpoint.ensure(dir, longest);
        log("checkpoint %s (%.1fM parameters) ready in %.0f s", dir,
                BenchCheckpoint.parameters() / 1e6, (System.nanoTime() - t0) / 1e9);
        Machine machine = Machine.describe(project, o.threads());
        List<String> loads = new ArrayList<>();
        loads.add("start " + Machine.loadAverage());

        MatmulCeiling.Result ceilingBefore = MatmulCeiling.measure(o.threads());
        log("matmul ceiling: %s", ceilingBefore);
        Map<Integer, Timing> ours = measureOurs(dir, o);
        loads.add("after ours " + Machine.loadAverage());

        Map<Integer, Timing> jlama = null;
        if (!o.skip().contains("jlama")) {
            jlama = RunnerProcess.run("jlama", List.of(project.resolve("scripts/bench/jlama.sh")
                    .toString(), dir.toString(),
                    dir.resolve(BenchCheckpoint.PROMPT_FILE).toString(),
                    o.csv(o.lengths()), String.valueOf(o.decode()), o.csv(o.reps()),
                    String.valueOf(o.threads())), Map.of(), out.resolve("jlama.log"), o.lengths(),
                    o.budgetSeconds());
            loads.add("after jlama " + Machine.loadAverage());
        }
        Map<Integer, Timing> torch = null;
        if (!o.skip().contains("torch")) {
            run(List.of(project.resolve("scripts/bench/setup-bench.sh").toString()),
                    out.resolve("setup-bench.log"));
            String t = String.valueOf(o.threads());
            torch = RunnerProcess.run("torch", List.of("/usr/bin/python3",
                    project.resolve("scripts/bench/torch_qwen2.py").toString(), dir.toString(),
                    dir.resolve(BenchCheckpoint.PROMPT_FILE).toString(), o.csv(o.lengths()),
                    String.valueOf(o.decode()), o.csv(o.reps()), t),
                    Map.of("OMP_NUM_THREADS", t, "OPENBLAS_NUM_THREADS", t),
                    out.resolve("torch.log"), o.lengths(), o.budgetSeconds());
            loads.add("after torch " + Machine.loadAverage());
        }
        MatmulCeiling.Result ceilingAfter = MatmulCeiling.measure(o.threads());
        log("matmul ceiling again: %s", ceilingAfter);
        MatmulCeiling.Result ceiling = ceilingBefore.best(ceilingAfter);
        DecoderConfig c = DecoderConfig.fromJson(dir.resolve("config.json"),
                com.google.gson.JsonParser.parseString(Files.readString(dir.resolve("config.json")))
                        .getAsJsonObject());
        System.out.print(BenchTable.render(machine, c, o, ceiling, loads, ours, jlama, torch));
    }

    /** Our engine in this JVM: prefill via {@link Prefill#run}, then greedy one-token steps. */
    static Map<Integer, Timing> measureOurs(Path dir, Options o) throws IOException {
        HfTokenizer.load(dir).close();   // the folder's tokenizer.json must load in DJL too
        Map<Integer, Timing> out = new LinkedHashMap<>();
        try (Decoder d = Decoders.loadDecoder(dir, Device.cpu())) {
            // warm-up, the same for every engine: a 128-token prompt and 32 decode steps (our decode
            // steps kept getting faster for the first ~100 steps, PyTorch allocator and caches)
            once(d, BenchCheckpoint.promptIds(dir, 128), 32);
            for (int i = 0; i < o.lengths().length; i++) {
                int n = o.lengths()[i];
                int[] ids = BenchCheckpoint.promptIds(dir, n);
                List<double[]> reps = new ArrayList<>();
                for (int r = 0; r < o.repsAt(i); r++) {
                    double[] v = once(d, ids, o.decode());
                    log("ours: tokens=%d prefill_ms=%.1f decode_ms=%.1f first=%d"
                            + " prefill_cpu_ms=%.1f decode_cpu_ms=%.1f  load %s", n, v[1], v[3],
                            (int) v[4], v[5], v[6],
                            Machine.loadAverage());
                    reps.add(v);
                }
                out.put(n, Timing.median(reps, (int) reps.get(0)[4]));
            }
        }
        return out;
    }

    /** CPU time of this whole process (JVM and PyTorch's native threads). */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** {tokens, prefill_ms, decode_tokens, decode_ms, first id, prefill_cpu_ms, decode_cpu_ms}. */
    private static double[] once(Decoder d, int[] ids, int decode) {
        try (KvCache cache = KvCache.create(d, ids.length + decode)) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            int next = argmax(Prefill.run(cache, ids, Prefill.DEFAULT_CHUNK));
            long t1 = System.nanoTime();
            long c1 = cpuNanos();
            int first = next;
            for (int i = 0; i < decode; i++) {
                next = argmax(Prefill.run(cache, new int[] {next}, 1));
            }
            long t2 = System.nanoTime();
            long c2 = cpuNanos();
            return new double[] {ids.length, (t1 - t0) / 1e6, decode, (t2 - t1) / 1e6, first,
                (c1 - c0) / 1e6, (c2 - c1) / 1e6};
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void run(List<String> command, Path log)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed with exit " + p.exitValue()
                    + "; see " + log);
        }
    }

    static void log(String format, Object... args) {
        System.err.println("[bench] " + String.format(Locale.ROOT, format, args));
    }
}
