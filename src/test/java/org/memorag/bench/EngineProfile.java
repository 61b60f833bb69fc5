package org.memorag.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.memorag.engine.model.Decoder;
import org.memorag.engine.model.Decoders;
import org.memorag.engine.model.KvCache;
import org.memorag.engine.model.Prefill;
import org.memorag.engine.tensor.Device;

/**
 * Where EngineBench's prefill time goes: one prompt length under several attention tilings and
 * prefill chunk sizes, on the benchmark checkpoint (run EngineBench once first to write it).
 * Usage: {@code scripts/bench.sh EngineProfile TOKENS CHUNK:QUERYCHUNK:KEYBLOCK ...} (KEYBLOCK 0 =
 * sized by the score budget), e.g. {@code EngineProfile 4096 2048:512:0 2048:512:512}; or
 * {@code EngineProfile TOKENS decode THREADS...}: 32 greedy decode steps after a TOKENS prompt
 * with PyTorch's intra-op thread count switched per run.
 */
public final class EngineProfile {
    private EngineProfile() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("memorag.build.dir", "target"), "bench",
                "qwen2-100m");
        int n = Integer.parseInt(args[0]);
        int[] ids = BenchCheckpoint.promptIds(dir, n);
        try (Decoder d = Decoders.loadDecoder(dir, Device.cpu())) {
            prefill(d, BenchCheckpoint.promptIds(dir, 128), 2048, 512, 0);   // warm-up
            if (args.length > 1 && args[1].equals("decode")) {
                for (int i = 2; i < args.length; i++) {
                    decode(d, ids, Integer.parseInt(args[i]));
                }
                return;
            }
            for (int i = 1; i < args.length; i++) {
                String[] p = args[i].split(":");
                int chunk = Integer.parseInt(p[0]);
                int qc = Integer.parseInt(p[1]);
                int kb = Integer.parseInt(p[2]);
                long c0 = EngineBench.cpuNanos();
                double ms = prefill(d, ids, chunk, qc, kb);
                double cpu = (EngineBench.cpuNanos() - c0) / 1e6;
                System.out.printf(Locale.ROOT, "tokens=%d chunk=%d queryChunk=%d keyBlock=%d"
                        + " prefill_ms=%.0f tok/s=%.1f cpu_ms=%.0f load %s%n", n, chunk, qc, kb, ms,
                        n / (ms / 1e3), cpu, Machine.loadAverage());
            }
        }
    }

    private static void decode(Decoder d, int[] ids, int threads) {
        int before = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        try (KvCache cache = KvCache.create(d, ids.length + 40)) {
            Prefill.run(cache, ids, Prefill.DEFAULT_CHUNK);
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
            Prefill.run(cache, new int[] {1}, 1);   // first step at this thread count
            long c0 = EngineBench.cpuNanos();
            long t0 = System.nanoTime();
            for (int i = 0; i < 32; i++) {
                Prefill.run(cache, new int[] {1 + i}, 1);
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            double cpu = (EngineBench.cpuNanos() - c0) / 1e6;
            System.out.printf(Locale.ROOT, "decode after %d tokens, threads=%d: 32 tokens in %.0f ms"
                    + " (%.1f tok/s), cpu_ms=%.0f load %s%n", ids.length, threads, ms,
                    32 / (ms / 1e3), cpu, Machine.loadAverage());
        } finally {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(before);
        }
    }

    private static double prefill(Decoder d, int[] ids, int chunk, int qc, int kb) {
        try (KvCache cache = KvCache.create(d, ids.length).tiling(qc, kb)) {
            long t0 = System.nanoTime();
            Prefill.run(cache, ids, chunk);
            return (System.nanoTime() - t0) / 1e6;
        }
    }
}
