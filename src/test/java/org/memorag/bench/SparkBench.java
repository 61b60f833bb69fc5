package org.memorag.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.memorag.rag.Pipeline;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.task.Question;
import org.memorag.spark.AnswerArgs;
import org.memorag.spark.AnswerJob;
import org.memorag.spark.ExecutorModels;
import org.memorag.spark.GpuBinding;
import org.memorag.spark.JobConfig;
import org.memorag.spark.MemorizeArgs;
import org.memorag.spark.MemorizeJob;
import org.memorag.spark.RunSummary;
import org.memorag.store.ArtifactStore;
import org.memorag.testing.LocalSpark;

/**
 * The Spark jobs against the pipeline called directly on the same documents and questions, in
 * one JVM with the models loaded once (warm): documents/hour, questions/s, Spark's overhead
 * (local[1] job wall time vs the direct loop; goal <= 10%) and local[2] vs local[1] (goal >= 1.8x).
 * Default input: the demo corpus (src/demo/loogle), task rag, default pipeline settings (BGE-small
 * embedder, extractive generator, memory.mode auto = none without a memory model).
 *
 * <p>Run: {@code scripts/bench.sh SparkBench [docs.jsonl questions.jsonl [max_chars [rounds]]]}
 * (rounds default 2: each run that many times, alternated, fastest kept; every Spark run writes
 * a fresh store, so no document is skipped)
 */
public final class SparkBench {
    private SparkBench() {}

    record Doc(String id, String text) {}

    record Q(String id, String docId, String question) {}

    public static void main(String[] args) throws IOException {
        Path demo = LocalSpark.projectDir().resolve("src/demo/loogle");
        Path docsFile = args.length > 0 ? Path.of(args[0]) : demo.resolve("docs.jsonl");
        Path questionsFile = args.length > 1 ? Path.of(args[1]) : demo.resolve("questions.jsonl");
        int maxChars = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path work = Files.createTempDirectory(LocalSpark.buildDir().resolve("tmp"), "spark-bench");
        List<Doc> docs = new ArrayList<>();
        List<String> docLines = new ArrayList<>();
        for (String line : Files.readAllLines(docsFile, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            String text = o.get("text").getAsString();
            text = text.substring(0, Math.min(maxChars, text.length()));
            o.addProperty("text", text);
            docs.add(new Doc(o.get("doc_id").getAsString(), text));
            docLines.add(o.toString());
        }
        Path corpus = Files.write(work.resolve("docs.jsonl"), docLines, StandardCharsets.UTF_8);
        List<Q> questions = new ArrayList<>();
        for (String line : Files.readAllLines(questionsFile, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                questions.add(new Q(o.get("question_id").getAsString(),
                        o.get("doc_id").getAsString(), o.get("question").getAsString()));
            }
        }
        long chars = docs.stream().mapToLong(d -> d.text().length()).sum();

        Pipeline pipeline = ExecutorModels.get(new JobConfig(Map.of()), GpuBinding.CPU);
        // warm-up: first use of every native path (ORT, FAISS, tokenizer) outside the timings
        try (DocArtifacts warm = pipeline.memorize("warm-up", docs.get(0).text()
                .substring(0, Math.min(3000, docs.get(0).text().length())))) {
            pipeline.ask(warm, new Question("w", "warm-up?", "rag", null, null));
        }
        // and Spark's code paths: one small job pair, so the runs below compare warm to warm
        Path small = Files.write(work.resolve("warm.jsonl"), List.of(docLines.get(0)),
                StandardCharsets.UTF_8);
        // both masters: each loads its own pipeline (the core budget differs), outside timings
        spark("local[1]", small, questionsFile, work.resolve("warm1"));
        spark("local[2]", small, questionsFile, work.resolve("warm2"));
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        // rounds alternate the three runs so machine load hits them alike; best time of each kept
        Map<String, Double> direct = new LinkedHashMap<>();
        Map<String, Double> one = new LinkedHashMap<>();
        Map<String, Double> two = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            best(direct, direct(pipeline, docs, questions, work.resolve("direct" + r)));
            best(one, spark("local[1]", corpus, questionsFile, work.resolve("l1-" + r)));
            best(two, spark("local[2]", corpus, questionsFile, work.resolve("l2-" + r)));
        }
        ExecutorModels.closeAll();

        String commit = BenchCommit.head();
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "SparkBench  cores=%d  commit=%s  docs=%d chars=%d"
                + " questions=%d  best of %d rounds  loadavg before=[%s] after=[%s]%n",
                Runtime.getRuntime().availableProcessors(), commit, docs.size(), chars,
                questions.size(), rounds, loadBefore, Files.readString(Path.of("/proc/loadavg")).trim()));
        t.append("| run | memorize s | docs/hour | answer s | questions/s |\n|---|---|---|---|---|\n");
        for (var e : List.of(Map.entry("direct (1 thread, no Spark)", direct),
                Map.entry("Spark local[1]", one), Map.entry("Spark local[2]", two))) {
            Map<String, Double> m = e.getValue();
            t.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f | %.1f | %.2f |%n", e.getKey(),
                    m.get("memorize_s"), docs.size() * 3600 / m.get("memorize_s"),
                    m.get("answer_s"), questions.size() / m.get("answer_s")));
        }
        t.append(String.format(Locale.ROOT, "Spark overhead local[1] vs direct: memorize %+.1f%%,"
                + " answer %+.1f%% (goal <= 10%%)%n",
                100 * (one.get("memorize_s") / direct.get("memorize_s") - 1),
                100 * (one.get("answer_s") / direct.get("answer_s") - 1)));
        t.append(String.format(Locale.ROOT, "local[2] vs local[1]: memorize %.2fx, answer %.2fx"
                + " (goal >= 1.8x)%n", one.get("memorize_s") / two.get("memorize_s"),
                one.get("answer_s") / two.get("answer_s")));
        System.out.print(t);
    }

    /** Keeps the smaller time of each figure. */
    private static void best(Map<String, Double> best, Map<String, Double> run) {
        run.forEach((k, v) -> best.merge(k, v, Math::min));
    }

    private static Map<String, Double> direct(Pipeline p, List<Doc> docs, List<Q> questions,
            Path dir) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        try (ArtifactStore store = ArtifactStore.create(dir.toUri().toString(),
                new Configuration())) {
            long t0 = System.nanoTime();
            Map<String, String> versions = new LinkedHashMap<>();
            for (Doc d : docs) {
                try (DocArtifacts a = p.memorize(d.id(), d.text())) {
                    store.save(a);
                    versions.put(d.id(), a.version());
                }
            }
            out.put("memorize_s", (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            for (Doc d : docs) {
                try (DocArtifacts a = store.load(d.id(), versions.get(d.id()), p::readMemory)) {
                    for (Q q : questions) {
                        if (q.docId().equals(d.id())) {
                            p.ask(a, new Question(q.id(), q.question(), "rag", null, null));
                        }
                    }
                }
            }
            out.put("answer_s", (System.nanoTime() - t0) / 1e9);
        }
        return out;
    }

    private static Map<String, Double> spark(String master, Path corpus, Path questions,
            Path dir) {
        // Spark's own default parallelism for local[N] (N), as jobs/*.sh --master local[N] get;
        // the test harness's fixed 4 would give local[1] four tasks and their per-task costs
        String slots = master.replaceAll("\\D", "");
        SparkSession spark = LocalSpark.builder(master)
                .config("spark.default.parallelism", slots.isEmpty() ? "1" : slots)
                .getOrCreate();
        try {
            String store = dir.resolve("store").toUri().toString();
            RunSummary m = MemorizeJob.run(spark, MemorizeArgs.parse(new String[] {"--corpus",
                corpus.toString(), "--store", store}));
            RunSummary a = AnswerJob.run(spark, AnswerArgs.parse(new String[] {"--questions",
                questions.toString(), "--store", store, "--out", dir.resolve("answers").toString(),
                "--task", "rag"}));
            return Map.of("memorize_s", (Double) m.fields().get("wall_s"),
                    "answer_s", (Double) a.fields().get("wall_s"));
        } finally {
            spark.stop();
        }
    }
}
