package org.memorag.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.memorag.engine.generate.GenerationConfig;
import org.memorag.engine.model.DecoderConfig;
import org.memorag.engine.model.DecoderLanguageModel;
import org.memorag.engine.model.Decoders;
import org.memorag.engine.model.KvMemory;
import org.memorag.engine.tensor.Device;
import org.memorag.testing.TinyCheckpoint;

/**
 * Prefill and decode speed of a ~100M-parameter random Qwen2-shaped model (hidden 768, 12 layers,
 * 12 heads, 4 KV heads, intermediate 2048, vocab 32000), against the fp32 matmul ceiling measured
 * in the same run. Usage: EngineBench [model-dir] [lengths, e.g. 512,4096,16384]; writes the model
 * under target/ when no folder is given.
 */
public final class EngineBench {
    private EngineBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 && !args[0].isEmpty() ? Path.of(args[0])
                : Path.of(System.getProperty("memorag.build.dir", "target"), "bench-qwen2-100m");
        String[] lengths = (args.length > 1 ? args[1] : "512,4096").split(",");
        if (!Files.exists(dir.resolve("config.json"))) {
            TinyCheckpoint.qwen2().sizes(768, 12, 4, 2048, 32000).layers(12).seed(1).writeTo(dir);
        }
        double ceiling = matmulCeiling();
        System.out.printf(Locale.ROOT, "machine: cores=%d  fp32 matmul 1024^3: %.1f GFLOP/s%n",
                Runtime.getRuntime().availableProcessors(), ceiling);
        try (DecoderLanguageModel lm = Decoders.load(dir, Device.cpu())) {
            DecoderConfig c = lm.decoder().config();
            long perToken = perTokenFlops(c);
            System.out.println("| tokens | prefill ms | prefill tok/s | GFLOP/s | % of ceiling | decode tok/s |");
            System.out.println("|---|---|---|---|---|---|");
            for (String l : lengths) {
                int n = Integer.parseInt(l.trim());
                int[] ids = randomIds(n, c.vocabSize());
                lm.memorize(randomIds(64, c.vocabSize())).close();       // warm-up
                long t0 = System.nanoTime();
                KvMemory mem = lm.memorize(ids);
                long prefill = System.nanoTime() - t0;
                double flops = (double) perToken * n + attentionFlops(c, n);
                DecoderLanguageModel.Result r = lm.generateDetailed(mem, new int[] {1},
                        GenerationConfig.greedy(32).withMaxNewTokens(32), false);
                mem.close();
                double decodeTps = r.decodeTokens() / (r.decodeNanos() / 1e9);
                double gflops = flops / prefill;
                System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.1f | %.0f%% | %.1f |%n", n,
                        prefill / 1e6, n / (prefill / 1e9), gflops, 100 * gflops / ceiling,
                        decodeTps);
            }
        }
    }

    /** Matmul flops per token outside attention scores (projections, MLP), lm_head excluded. */
    static long perTokenFlops(DecoderConfig c) {
        long h = c.hiddenSize();
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        long perLayer = h * q + 2 * h * kv + q * h + 3 * h * c.intermediateSize();
        return 2 * perLayer * c.numHiddenLayers();
    }

    /** Causal attention: QK^T and PV over n(n+1)/2 pairs, per head and layer. */
    static double attentionFlops(DecoderConfig c, int n) {
        double pairs = n * (n + 1) / 2.0;
        return 2.0 * 2 * pairs * c.numAttentionHeads() * c.headDim() * c.numHiddenLayers();
    }

    static int[] randomIds(int n, int vocab) {
        Random r = new Random(n);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(vocab);
        }
        return ids;
    }

    static double matmulCeiling() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray a = m.randomNormal(new Shape(1024, 1024));
            NDArray b = m.randomNormal(new Shape(1024, 1024));
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 12; i++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray x = a.duplicate();
                    x.attach(s);
                    long t = System.nanoTime();
                    x.matMul(b).toFloatArray();
                    best = Math.min(best, System.nanoTime() - t);
                }
            }
            return 2.0 * 1024 * 1024 * 1024 / best;
        }
    }
}
