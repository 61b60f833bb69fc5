package org.memorag.bench;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.memorag.engine.encode.BertEncoder;
import org.memorag.engine.encode.BgeSmallEnV15;
import org.memorag.engine.encode.EncoderOptions;
import org.memorag.engine.encode.OnnxEncoder;
import org.memorag.engine.encode.TinyBertCheckpoint;
import org.memorag.engine.tensor.Device;

/**
 * Throughput of the embedded BGE-small-en-v1.5 (int8 ONNX, DJL OnnxRuntime) on sentences and
 * ~200-word passages of the demo documents: OnnxEncoder's length-sorted batches (several
 * budgets of batch rows x longest row²) against the naive baseline measured in the same run,
 * one encode call per text. Configurations run interleaved, round after round, and the median
 * round is reported, so a busy machine slows all of them alike. Then the same for BertEncoder on
 * the DJL PyTorch engine with a random BGE-small-shaped fp32 checkpoint (same compute as the
 * real model; no BGE safetensors ship with the project).
 *
 * <p>Run: {@code scripts/bench.sh EncoderBench [sentences] [passages] [rounds] [ortThreads]}.
 */
public final class EncoderBench {
    private EncoderBench() {}

    record Config(String name, int batchSize, int maxBatchCells) {}

    static final List<Config> CONFIGS = List.of(
            new Config("baseline: one call per text", 1, Integer.MAX_VALUE),
            new Config("batch 32, no cell budget", 32, Integer.MAX_VALUE),
            new Config("batch 32, <= 16384 cells", 32, 1 << 14),
            new Config("batch 32, <= 65536 cells (default)", 32, 1 << 16),
            new Config("batch 32, <= 262144 cells", 32, 1 << 18));

    public static void main(String[] args) throws IOException {
        int nSentences = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int nPassages = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        List<String> docs = docs();
        List<String> sentences = sentences(docs, nSentences);
        List<String> passages = passages(docs, nPassages, 200);
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "memorag-models");
        List<OnnxEncoder> encoders = new ArrayList<>();
        for (Config c : CONFIGS) {
            encoders.add(BgeSmallEnV15.load(cache, EncoderOptions.defaults().withThreads(threads, 1)
                    .withBatchSize(c.batchSize()).withMaxBatchCells(c.maxBatchCells())));
        }
        double[][] sent = new double[CONFIGS.size()][rounds];
        double[][] pass = new double[CONFIGS.size()][rounds];
        for (OnnxEncoder e : encoders) {
            e.encode(sentences.subList(0, 32), 128);  // warm-up
            e.encode(passages.subList(0, 4), 512);
        }
        for (int r = 0; r < rounds; r++) {
            for (int c = 0; c < CONFIGS.size(); c++) {
                OnnxEncoder e = encoders.get(c);
                sent[c][r] = sentences.size() / seconds(() -> e.encode(sentences, 128));
                pass[c][r] = passages.size() / seconds(() -> e.encode(passages, 512));
            }
        }
        encoders.forEach(OnnxEncoder::close);
        double[][] engine = engineRows(sentences, passages, rounds);
        StringBuilder t = new StringBuilder();
        t.append("EncoderBench: bge-small-en-v1.5-q (ONNX int8), ").append(sentences.size())
                .append(" sentences (max 128 tokens), ").append(passages.size())
                .append(" passages of 200 words (max 512 tokens), src/demo/loogle/docs.jsonl; ")
                .append("ORT intra-op threads ").append(threads).append("; median of ")
                .append(rounds).append(" interleaved rounds\n");
        t.append("machine: ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ").append(System.getProperty("os.arch"))
                .append(", CPU only, load average ").append(String.format("%.1f",
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                .getSystemLoadAverage()))
                .append("; commit ").append(BenchCommit.head()).append('\n');
        t.append("| configuration | sentences/s | ratio to baseline | passages/s"
                + " | ratio to baseline |\n|---|---|---|---|---|\n");
        double s0 = median(sent[0]);
        double p0 = median(pass[0]);
        for (int c = 0; c < CONFIGS.size(); c++) {
            t.append(String.format("| %s | %.1f | %.2f | %.2f | %.2f |%n", CONFIGS.get(c).name(),
                    median(sent[c]), median(sent[c]) / s0, median(pass[c]), median(pass[c]) / p0));
        }
        t.append("BGE-small-shaped random BERT (384 hidden, 12 layers, fp32 safetensors) on the"
                + " DJL PyTorch engine, BertEncoder, same texts and rounds:\n");
        t.append("| configuration | sentences/s | ratio to baseline | passages/s"
                + " | ratio to baseline |\n|---|---|---|---|---|\n");
        String[] names = {"baseline: one call per text", "batch 32, <= 65536 cells (default)"};
        for (int c = 0; c < 2; c++) {
            t.append(String.format("| %s | %.1f | %.2f | %.2f | %.2f |%n", names[c],
                    engine[c][0], engine[c][0] / engine[0][0], engine[c][1],
                    engine[c][1] / engine[0][1]));
        }
        System.out.print(t);
    }

    /** Median sentences/s and passages/s of BertEncoder, batch 1 then the default options. */
    private static double[][] engineRows(List<String> sentences, List<String> passages,
            int rounds) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "bench-bert-small");
        if (!Files.isRegularFile(dir.resolve("model.safetensors"))) {
            TinyBertCheckpoint.bert().sizes(384, 12, 12, 1536, 512).writeTo(dir);
        }
        double[][] out = new double[2][2];
        EncoderOptions[] opts = {EncoderOptions.defaults().withBatchSize(1),
            EncoderOptions.defaults()};
        double[][][] runs = new double[2][2][rounds];
        List<BertEncoder> encs = new ArrayList<>();
        for (EncoderOptions o : opts) {
            BertEncoder e = BertEncoder.fromModelDir(dir, Device.cpu(), o);
            e.encode(sentences.subList(0, 32), 128);
            e.encode(passages.subList(0, 4), 512);
            encs.add(e);
        }
        for (int r = 0; r < rounds; r++) {
            for (int c = 0; c < 2; c++) {
                BertEncoder e = encs.get(c);
                runs[c][0][r] = sentences.size() / seconds(() -> e.encode(sentences, 128));
                runs[c][1][r] = passages.size() / seconds(() -> e.encode(passages, 512));
            }
        }
        encs.forEach(BertEncoder::close);
        for (int c = 0; c < 2; c++) {
            out[c][0] = median(runs[c][0]);
            out[c][1] = median(runs[c][1]);
        }
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double seconds(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static List<String> docs() throws IOException {
        Path file = Path.of(System.getProperty("memorag.project.dir", "."),
                "src/demo/loogle/docs.jsonl");
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JsonParser.parseString(line).getAsJsonObject().get("text").getAsString());
            }
        }
        return out;
    }

    private static List<String> sentences(List<String> docs, int n) {
        List<String> out = new ArrayList<>();
        for (String d : docs) {
            for (String s : d.split("(?<=[.!?])\\s+")) {
                if (s.strip().length() > 20 && out.size() < n) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }

    private static List<String> passages(List<String> docs, int n, int words) {
        List<String> out = new ArrayList<>();
        for (String d : docs) {
            String[] w = d.strip().split("\\s+");
            for (int s = 0; s + words <= w.length && out.size() < n; s += words) {
                out.add(String.join(" ", Arrays.copyOfRange(w, s, s + words)));
            }
        }
        return out;
    }

}
