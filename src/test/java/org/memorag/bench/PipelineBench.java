package org.memorag.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.memorag.rag.Pipeline;
import org.memorag.rag.TestEncoders;
import org.memorag.rag.TinyModels;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.config.MemoragConfig;
import org.memorag.store.ArtifactStore;
import org.memorag.testing.TinyCheckpoint;

/**
 * Memorize time against load time for the same long document (issue goal: load >= 50x faster;
 * upstream reports 35 s vs 1.5 s). Memorize = language detection + memory prefill + chunking +
 * BGE-small embeddings + FAISS index; load = read + verify (size, SHA-256) + restore the memory,
 * index bytes and chunks from a {@code file://} store.
 *
 * <p>Run: {@code scripts/bench.sh PipelineBench [doc.txt] [memory-model-dir]}; without a model
 * folder a tiny random Qwen2 checkpoint (2 layers, hidden 32) is the memory model.
 */
public final class PipelineBench {
    private static final int MEMORIZE_REPS = 3;
    private static final int LOAD_REPS = 7;

    private PipelineBench() {}

    public static void main(String[] args) throws IOException {
        Path project = Path.of(System.getProperty("memorag.project.dir", "."));
        Path docPath = args.length > 0 ? Path.of(args[0]) : project.resolve(
                "src/test/resources/fixtures/docs/loogle_Assassination-of-Shinzo-Abe.txt");
        Path work = Files.createTempDirectory("pipeline-bench");
        Path model = args.length > 1 ? Path.of(args[1])
                : TinyCheckpoint.qwen2().layers(2).seed(1).writeTo(work.resolve("tiny"));
        String text = Files.readString(docPath, StandardCharsets.UTF_8);
        MemoragConfig config = MemoragConfig.builder().set("memory.model", model.toString())
                .set("generator.type", "memory").build();
        double[] memorize = new double[MEMORIZE_REPS];
        double[] load = new double[LOAD_REPS];
        double save;
        long memoryBytes;
        int chunks;
        int tokens;
        try (Pipeline p = Pipeline.open(config, new TinyModels(TestEncoders.bgeSmall()));
                ArtifactStore store = ArtifactStore.create(work.resolve("store").toUri()
                        .toString(), new Configuration())) {
            DocArtifacts doc = null;
            for (int r = 0; r < MEMORIZE_REPS; r++) {
                if (doc != null) {
                    doc.close();
                }
                long t0 = System.nanoTime();
                doc = p.memorize("bench", text);
                memorize[r] = ms(t0);
            }
            long t0 = System.nanoTime();
            store.save(doc);
            save = ms(t0);
            memoryBytes = doc.memoryBytes();
            chunks = doc.chunks().size();
            tokens = doc.memory().inputTokens();
            for (int r = 0; r < LOAD_REPS; r++) {
                long t1 = System.nanoTime();
                try (DocArtifacts back = store.load("bench", doc.version(), p::readMemory)) {
                    load[r] = ms(t1);
                }
            }
            doc.close();
        }
        double mem = median(memorize);
        double ld = median(load);
        System.out.println("| machine | commit | document | memory model | memory tokens | chunks"
                + " | memory bytes | memorize ms (median of " + MEMORIZE_REPS + ") | save ms"
                + " | load ms (median of " + LOAD_REPS + ") | memorize / load |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        System.out.printf("| %d cores, %s | %s | %s (%d chars) | %s | %d | %d | %d | %.0f | %.0f"
                + " | %.1f | %.0fx |%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), BenchCommit.head(), docPath.getFileName(),
                text.length(), args.length > 1 ? model.getFileName() : "tiny qwen2 (random)",
                tokens, chunks, memoryBytes, mem, save, ld, mem / ld);
        System.out.println("all memorize ms: " + Arrays.toString(memorize) + "; all load ms: "
                + Arrays.toString(load));
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

}
