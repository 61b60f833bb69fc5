package org.memorag.bench;

import ai.onnxruntime.OrtException;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.memorag.engine.encode.BgeSmallEnV15;
import org.memorag.engine.encode.Encoder;
import org.memorag.rag.chunk.Chunk;
import org.memorag.rag.chunk.FixtureDocs;
import org.memorag.rag.chunk.TextChunker;
import org.memorag.rag.retrieve.Embedder;
import org.memorag.rag.retrieve.EmbedderConfig;
import org.memorag.rag.retrieve.TestEncoders;

/**
 * Chunker and embedder throughput on one long real document.
 *
 * <pre>
 * scripts/bench.sh RetrievalBench [DOC] [--budget N] [--embed N] [--batch N] [--parallel N]
 *                                [--rounds N]
 *   DOC       a .txt file, an eval docs.jsonl, or an eval dataset folder (its longest document);
 *             default: the fixture KJV Genesis (src/test/resources/fixtures/docs)
 *   --budget  chunk budget in cl100k tokens (default 512)
 *   --embed   chunks to embed per pass (default 48; 0 = all)
 *   --batch   Embedder batch size (default 32; the token budget is EmbedderConfig's default)
 *   --parallel encoder calls in flight for the whole-machine variant (default: available cores)
 *   --rounds  passes of each embedding variant, best kept (default 2)
 * </pre>
 *
 * The embedding baseline ({@link NaiveOrtLoop}) is the loop a user writes on ONNX Runtime's own
 * API: the same model file and tokenizer, one text per run, in the same JVM, alternated with our
 * passes so machine load hits both alike. Two pairings: the whole machine (our default outside
 * Spark: one call per core, each on one native thread; against ONNX Runtime's default threads)
 * and one core (a Spark task slot; against a one-thread session).
 */
public final class RetrievalBench {
    private RetrievalBench() {}

    public static void main(String[] args) throws IOException {
        String source = null;
        int budget = 512;
        int embedCount = 48;
        int batch = 32;
        int rounds = 2;
        int parallel = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--budget" -> budget = Integer.parseInt(args[++i]);
                case "--embed" -> embedCount = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--parallel" -> parallel = Integer.parseInt(args[++i]);
                default -> source = args[i];
            }
        }
        String[] doc = load(source);
        String text = doc[1];
        TextChunker chunker = new TextChunker(budget);

        List<Chunk> chunks = chunker.chunk(text); // warm-up (vocabulary load, JIT)
        long bestChunkNs = Long.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long t0 = System.nanoTime();
            chunks = chunker.chunk(text);
            bestChunkNs = Math.min(bestChunkNs, System.nanoTime() - t0);
        }
        long tokens = chunks.stream().mapToLong(Chunk::nTokens).sum();
        double chunkSec = bestChunkNs / 1e9;

        List<String> texts = chunks.stream().map(Chunk::text).toList();
        if (embedCount > 0 && embedCount < texts.size()) {
            texts = texts.subList(0, embedCount);
        }
        List<String> queries = queries(text, 64);
        Variant[] docs;
        Variant[] qs;
        String encoderName;
        try (Encoder encoder = TestEncoders.bgeSmall()) {
            encoderName = encoder.fingerprint();
            Path dir = bgeFolder();
            Path onnx = dir.resolve("bge-small-en-v1.5-q.onnx");
            Path tok = dir.resolve("bge-small-en-v1.5-q-tokenizer.json");
            EmbedderConfig cfg = EmbedderConfig.DEFAULT.withBatchSize(batch);
            Embedder single = new Embedder(encoder, cfg);
            Embedder wide = new Embedder(encoder, cfg.withParallelism(parallel));
            single.embedDocuments(texts.subList(0, Math.min(4, texts.size()))); // warm-up
            docs = race(texts, 512, false, rounds, single, wide, onnx, tok, parallel);
            qs = race(queries, 128, true, rounds, single, wide, onnx, tok, parallel);
        } catch (OrtException e) {
            throw new IllegalStateException("the ONNX Runtime baseline failed: " + e, e);
        }

        System.out.printf(Locale.ROOT, "RetrievalBench  machine: %d cores, %s, Java %s"
                        + "  commit: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                System.getProperty("java.version"), BenchCommit.head());
        System.out.printf(Locale.ROOT, "document: %s (%,d chars, %,d cl100k tokens in chunks)%n",
                doc[0], text.length(), tokens);
        System.out.printf(Locale.ROOT, "encoder: %s; best of %d alternated passes; CPU = process"
                + " CPU time (every thread)%n", encoderName, rounds);
        System.out.println("| what | ours | baseline (same run) | ratio |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| chunker, budget %d: %d chunks in %.1f ms | %.0f chunks/s"
                        + " (%.2f MB/s) | - | - |%n", budget, chunks.size(), chunkSec * 1e3,
                chunks.size() / chunkSec, text.length() / chunkSec / 1e6);
        String[] kinds = {texts.size() + " chunks (max 512 tokens)",
            queries.size() + " queries (max 128 tokens)"};
        Variant[][] all = {docs, qs};
        for (int k = 0; k < 2; k++) {
            Variant[] v = all[k];  // {wide, single, naive default, naive 1 thread}
            row(kinds[k] + ", whole machine: " + v[0].name + " vs " + v[2].name, v[0], v[2],
                    false);
            row(kinds[k] + ", one core: " + v[1].name + " vs " + v[3].name, v[1], v[3], false);
            row(kinds[k] + ", per CPU-second: " + v[0].name + " vs " + v[2].name, v[0], v[2],
                    true);
            System.out.printf(Locale.ROOT, "| %s: largest 1 - cosine(ours, baseline) | %.2e | - |"
                    + " - |%n", kinds[k], v[0].maxCosineGap);
        }
    }

    private static void row(String what, Variant ours, Variant base, boolean cpu) {
        double a = cpu ? ours.bestPerCpuSecond : ours.bestPerSecond;
        double b = cpu ? base.bestPerCpuSecond : base.bestPerSecond;
        System.out.printf(Locale.ROOT, "| %s | %.2f/s | %.2f/s | %.2fx |%n", what, a, b, a / b);
    }

    /** One way of embedding the texts, with its best figures over the rounds. */
    private static final class Variant {
        final String name;
        double bestPerSecond;
        double bestPerCpuSecond;
        double maxCosineGap;
        float[][] vectors;

        Variant(String name) {
            this.name = name;
        }

        void record(int n, long wallNs, long cpuNs, float[][] out) {
            bestPerSecond = Math.max(bestPerSecond, perSecond(n, wallNs));
            bestPerCpuSecond = Math.max(bestPerCpuSecond, perSecond(n, cpuNs));
            vectors = out;
        }
    }

    /**
     * {Embedder with parallelism N (one native thread per call: the pipeline's default outside
     * Spark), Embedder on the calling thread only (a Spark task slot), the naive ONNX Runtime
     * loop with ONNX Runtime's default threads, the naive loop on one thread}, passes alternated
     * so that load changes on the machine hit all four alike.
     */
    private static Variant[] race(List<String> texts, int maxTokens, boolean queries, int rounds,
            Embedder single, Embedder wide, Path onnx, Path tok, int parallel)
            throws OrtException, IOException {
        Variant[] v = {new Variant("Embedder, " + parallel + " calls x 1 thread"),
            new Variant("Embedder, 1 call x 1 thread"), null, null};
        try (NaiveOrtLoop naiveDefault = new NaiveOrtLoop(onnx, tok, maxTokens, 0);
                NaiveOrtLoop naiveOne = new NaiveOrtLoop(onnx, tok, maxTokens, 1)) {
            v[2] = new Variant("one text per run, " + naiveDefault.label());
            v[3] = new Variant("one text per run, " + naiveOne.label());
            NaiveOrtLoop[] naive = {naiveDefault, naiveOne};
            List<String> input = texts;
            if (queries && !wide.config().queryInstruction().isEmpty()) {
                throw new IllegalStateException("the baseline has no query instruction");
            }
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 4; k++) {
                    long c0 = processCpuNs();
                    long t0 = System.nanoTime();
                    float[][] out;
                    if (k < 2) {
                        Embedder e = k == 0 ? wide : single;
                        out = queries ? e.embedQueries(input) : e.embedDocuments(input);
                    } else {
                        out = new float[input.size()][];
                        for (int i = 0; i < input.size(); i++) {
                            out[i] = naive[k - 2].embed(input.get(i));
                        }
                    }
                    v[k].record(input.size(), System.nanoTime() - t0, processCpuNs() - c0, out);
                }
            }
        }
        for (int i = 0; i < texts.size(); i++) {  // both compute the same vectors
            double dot = 0;
            for (int d = 0; d < v[0].vectors[i].length; d++) {
                dot += v[0].vectors[i][d] * v[2].vectors[i][d];
            }
            v[0].maxCosineGap = Math.max(v[0].maxCosineGap, 1 - dot);
        }
        return v;
    }

    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The folder BgeSmallEnV15 extracted its two files to (loading it makes sure it exists). */
    private static Path bgeFolder() throws IOException {
        try (var dirs = Files.list(BgeSmallEnV15.defaultCacheDir())) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("bge-small-en-v1.5-q-"))
                    .filter(d -> Files.isRegularFile(d.resolve("bge-small-en-v1.5-q.onnx")))
                    .findFirst().orElseThrow(() -> new IOException("no extracted BGE-small under "
                            + BgeSmallEnV15.defaultCacheDir()));
        }
    }

    private static double perSecond(int count, long nanos) {
        return count / (nanos / 1e9);
    }

    private static double timed(Embedder embedder, List<String> texts, boolean queries) {
        long t0 = System.nanoTime();
        if (queries) {
            embedder.embedQueries(texts);
        } else {
            embedder.embedDocuments(texts);
        }
        return texts.size() / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * Question-like queries: the document's first sentences of 4 to 30 words (or, for text
     * written without spaces, of 8 to 60 characters).
     */
    private static List<String> queries(String text, int n) {
        List<String> out = new ArrayList<>();
        for (String s : text.split("[\n.?!。．？！]+")) {
            int words = s.trim().split("\\s+").length;
            int chars = s.trim().length();
            if ((words >= 4 && words <= 30) || (words < 4 && chars >= 8 && chars <= 60)) {
                out.add(s.trim());
                if (out.size() == n) {
                    break;
                }
            }
        }
        return out;
    }

    /** {name, text} of the document to measure. */
    private static String[] load(String source) throws IOException {
        if (source == null) {
            return new String[] {"fixtures/docs/" + FixtureDocs.KJV_GENESIS,
                FixtureDocs.read(FixtureDocs.KJV_GENESIS)};
        }
        Path p = Path.of(source);
        if (Files.isDirectory(p)) {
            p = p.resolve("docs.jsonl");
        }
        if (!p.toString().endsWith(".jsonl")) {
            return new String[] {p.toString(), Files.readString(p, StandardCharsets.UTF_8)};
        }
        String best = null;
        String bestId = null;
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            String t = o.get("text").getAsString();
            if (best == null || t.length() > best.length()) {
                best = t;
                bestId = o.get("doc_id").getAsString();
            }
        }
        if (best == null) {
            throw new IllegalArgumentException(p + " has no documents");
        }
        return new String[] {p + " doc_id=" + bestId, best};
    }

}
