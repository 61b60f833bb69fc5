package org.memorag.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 *   --parallel encoder calls in flight for the parallel variant (default: available cores)
 *   --rounds  passes of each embedding variant, best kept (default 2)
 * </pre>
 *
 * The embedding baseline is the same encoder called with one text at a time, in the same JVM,
 * alternated with the batched passes so machine load hits both alike.
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
        double[] docBest;
        double[] queryBest;
        String encoderName;
        try (Encoder encoder = TestEncoders.bgeSmall()) {
            encoderName = encoder.fingerprint();
            EmbedderConfig cfg = EmbedderConfig.DEFAULT.withBatchSize(batch);
            Embedder embedder = new Embedder(encoder, cfg);
            Embedder parallelEmbedder = new Embedder(encoder, cfg.withParallelism(parallel));
            embedder.embedDocuments(texts.subList(0, Math.min(4, texts.size()))); // warm-up
            docBest = race(encoder, embedder, parallelEmbedder, texts, 512, false, rounds);
            queryBest = race(encoder, embedder, parallelEmbedder, queries, 128, true, rounds);
        }

        System.out.printf(Locale.ROOT, "RetrievalBench  machine: %d cores, %s, Java %s"
                        + "  commit: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                System.getProperty("java.version"), commit());
        System.out.printf(Locale.ROOT, "document: %s (%,d chars, %,d cl100k tokens in chunks)%n",
                doc[0], text.length(), tokens);
        System.out.println("| what | ours | baseline (same run) | ratio |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| chunker, budget %d: %d chunks in %.1f ms | %.0f chunks/s"
                        + " (%.2f MB/s) | - | - |%n", budget, chunks.size(), chunkSec * 1e3,
                chunks.size() / chunkSec, text.length() / chunkSec / 1e6);
        String[] kinds = {"chunks (max 512 tokens)", "queries (max 128 tokens)"};
        double[][] best = {docBest, queryBest};
        int[] counts = {texts.size(), queries.size()};
        for (int k = 0; k < 2; k++) {
            double[] b = best[k];
            System.out.printf(Locale.ROOT, "| embed %d %s, %s: Embedder, 1 thread | %.2f/s"
                            + " | %.2f/s (one text per call) | %.2fx |%n", counts[k], kinds[k],
                    encoderName, b[0], b[2], b[0] / b[2]);
            System.out.printf(Locale.ROOT, "| embed %d %s: Embedder, parallelism %d | %.2f/s"
                            + " | %.2f/s (one text per call) | %.2fx |%n", counts[k], kinds[k],
                    parallel, b[1], b[2], b[1] / b[2]);
            System.out.printf(Locale.ROOT, "| same, per CPU-second of the calling thread:"
                            + " Embedder, 1 thread | %.2f/s | %.2f/s | %.2fx |%n",
                    b[3], b[4], b[3] / b[4]);
        }
    }

    /**
     * Best texts/s of {batched Embedder, parallel Embedder, one text per encoder call}, passes
     * alternated so that load changes on the machine hit all three alike.
     */
    private static double[] race(Encoder encoder, Embedder embedder, Embedder parallel,
            List<String> texts, int maxTokens, boolean queries, int rounds) {
        // {batched, parallel, naive} wall texts/s, then {batched, naive} CPU texts/s of the
        // calling thread (ONNX Runtime with one intra-op thread computes on the caller)
        double[] best = new double[5];
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            long c0 = cpu.getCurrentThreadCpuTime();
            best[0] = Math.max(best[0], timed(embedder, texts, queries));
            best[3] = Math.max(best[3], perSecond(texts.size(), cpu.getCurrentThreadCpuTime() - c0));
            best[1] = Math.max(best[1], timed(parallel, texts, queries));
            c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (String t : texts) {
                encoder.encode(List.of(t), maxTokens);
            }
            best[2] = Math.max(best[2], texts.size() / ((System.nanoTime() - t0) / 1e9));
            best[4] = Math.max(best[4], perSecond(texts.size(), cpu.getCurrentThreadCpuTime() - c0));
        }
        return best;
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

    private static String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                    .redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return git.waitFor() == 0 ? out.trim() : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
