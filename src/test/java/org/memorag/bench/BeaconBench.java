package org.memorag.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.memorag.engine.beacon.BeaconCheckpoint;
import org.memorag.engine.beacon.BeaconDecoder;
import org.memorag.engine.beacon.BeaconKv;
import org.memorag.engine.beacon.BeaconMath;
import org.memorag.engine.beacon.BeaconMemory;
import org.memorag.engine.beacon.BeaconPos;
import org.memorag.engine.beacon.BeaconStream;
import org.memorag.engine.tensor.Device;
import org.memorag.testing.TinyBeaconCheckpoint;

/**
 * Beacon memorize throughput and memory size on a small random beacon model (not a test):
 * tokens/s at 8K, 32K and 128K input tokens (the goal: 128K >= 0.9x the 8K figure) and
 * memory bytes per input token at ratios 2, 4, 8, 16. Run {@code scripts/bench.sh BeaconBench
 * [window] [hidden] [layers] [bytesTokens]}.
 */
public final class BeaconBench {
    private BeaconBench() {}

    public static void main(String[] args) throws IOException {
        int window = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int layers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int bytesTokens = args.length > 3 ? Integer.parseInt(args[3]) : 32 * 1024;
        Path tmp = Files.createTempDirectory("beacon-bench");
        Path dir = TinyBeaconCheckpoint.qwen2().layers(layers).hidden(hidden, 8, 2, hidden * 3)
                .vocab(1000).window(window).ratios(4).seed(1).writeTo(tmp.resolve("model"));
        java.io.PrintStream out = System.out;   // rows appear as they are measured
        out.print(String.format("machine: %d cores, java %s; model: qwen2 layout, %d layers,"
                + " hidden %d, 8 heads / 2 kv heads, W=%d, fp32 CPU%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                layers, hidden, window));
        try (BeaconDecoder d = BeaconCheckpoint.load(dir, Device.cpu(), null)) {
            run(d, 4096);   // warm-up
            out.print("| input tokens | ratio | memorize s | tokens/s | slots | vs 8K |"
                    + " FLOP model: vs 8K | GFLOP/s |\n");
            out.print("|---|---|---|---|---|---|---|---|\n");
            double base = 0;
            Shape shape = new Shape(layers, hidden, 8, 2, hidden / 8, hidden * 3);
            double baseFlops = shape.flopsPerToken(8 * 1024, window, 4);
            for (int n : new int[] {8 * 1024, 32 * 1024, 128 * 1024}) {
                long t0 = System.nanoTime();
                int slots = run(d, n);
                double s = (System.nanoTime() - t0) / 1e9;
                double tps = n / s;
                base = base == 0 ? tps : base;
                double f = shape.flopsPerToken(n, window, 4);
                out.print(String.format("| %d | 4 | %.2f | %.0f | %d | %.2f | %.2f | %.1f |%n", n,
                        s, tps, slots, tps / base, baseFlops / f, f * tps / 1e9));
            }
            out.print(String.format("%nFLOP model of this model, tokens/s at 128K vs 8K when"
                    + " FLOP-bound: %.2f%n", baseFlops / shape.flopsPerToken(128 * 1024, window,
                    4)));
        }
        // the same model for the real memory checkpoint (memorag-qwen2-7b-inst: 28 layers, hidden
        // 3584, 28 heads / 4 kv heads of 128, intermediate 18944, W = 2048): the attention every
        // window pays to all earlier beacons grows with the memory, so no ratio is linear
        Shape qwen7b = new Shape(28, 3584, 28, 4, 128, 18944);
        out.print(String.format("FLOP model of memorag-qwen2-7b, 128K vs 8K:"
                + " r=4 %.2f, r=8 %.2f, r=16 %.2f%n",
                qwen7b.flopsPerToken(8 * 1024, 2048, 4) / qwen7b.flopsPerToken(128 * 1024, 2048, 4),
                qwen7b.flopsPerToken(8 * 1024, 2048, 8) / qwen7b.flopsPerToken(128 * 1024, 2048, 8),
                qwen7b.flopsPerToken(8 * 1024, 2048, 16)
                        / qwen7b.flopsPerToken(128 * 1024, 2048, 16)));
        out.print(String.format("%n| ratio | slots for %d tokens | memory bytes | bytes per"
                + " input token | memorag-qwen2 bf16 bytes/token (same formula) |%n"
                + "|---|---|---|---|---|%n", bytesTokens));
        for (int r : new int[] {2, 4, 8, 16}) {
            try (BeaconDecoder dr = BeaconCheckpoint.load(dir, Device.cpu(), r);
                    BeaconMemory m = dr.memorize(ids(bytesTokens), dr.config(), null, 0)) {
                long qwen2 = BeaconMath.slots(bytesTokens, 2048, r, BeaconPos.INTERLEAVE)
                        * BeaconMath.slotBytes(28, 4, 128, 2);
                out.print(String.format("| %d | %d | %d | %.1f | %.0f |%n", r, m.slots(),
                        m.bytes(), (double) m.bytes() / bytesTokens,
                        (double) qwen2 / bytesTokens));
            }
        }
        out.flush();
    }

    /**
     * Multiply-add FLOPs of memorizing with the spec's full-coverage interleave pattern
     * (BEACON_SPEC 2.7-2.8): each window step holds its W raw tokens and W/r beacons, every row
     * attends to all memory slots before the step (M = k * W / r before window k) and causally
     * within it; projections and MLP cost the same for raw and beacon rows.
     */
    record Shape(int layers, int hidden, int heads, int kvHeads, int headDim, int intermediate) {
        double flopsPerToken(long n, int window, int ratio) {
            double qDim = (double) heads * headDim;
            double kvDim = (double) kvHeads * headDim;
            double linearPerRow = 2 * (hidden * (qDim + 2 * kvDim) + qDim * hidden
                    + 3.0 * hidden * intermediate);
            double total = 0;
            long memory = 0;
            for (long done = 0; done < n; done += window) {
                long raw = Math.min(window, n - done);
                long rows = raw + raw / ratio;
                // QK^T and PV: 2 matmuls x 2 FLOPs x heads x headDim per (row, key) pair
                double pairs = rows * (double) memory + rows * (rows + 1) / 2.0;
                total += rows * linearPerRow + 4 * qDim * pairs;
                memory += raw / ratio;
            }
            return layers * total / n;
        }
    }

    private static int run(BeaconDecoder d, int n) {
        try (BeaconKv kv = d.newKv(d.config())) {
            BeaconStream s = new BeaconStream(d.config(), d.schedule(d.config(), 0));
            d.feed(kv, s, ids(n), BeaconDecoder.Rows.NONE);
            return s.slots();
        }
    }

    private static int[] ids(int n) {
        Random r = new Random(n);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 3 + r.nextInt(990);
        }
        return ids;
    }
}
