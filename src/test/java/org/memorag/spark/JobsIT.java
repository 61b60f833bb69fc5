package org.memorag.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.memorag.spark.JobInputs.ABE;
import static org.memorag.spark.JobInputs.NAGA;
import static org.memorag.spark.JobInputs.PENSION;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.testing.LocalSpark;

/** MemorizeJob and AnswerJob end to end in local[2] with the real pipeline (BGE + extractive). */
@ExtendWith(LocalSpark.class)
class JobsIT {
    /** Characters kept of each demo document: 2-3 chunks of 512 tokens. */
    static final int DOC_CHARS = 5000;

    @AfterAll
    static void closeModels() {
        ExecutorModels.closeAll();
    }

    private static Map<String, ManifestRow> manifest(SparkSession spark, String dir) {
        Map<String, ManifestRow> out = new HashMap<>();
        int i = 0;
        for (Row r : spark.read().parquet(dir).collectAsList()) {
            ManifestRow m = Rows.manifest(r);
            out.put(m.docId() == null ? "#" + i++ : (out.containsKey(m.docId())
                    ? m.docId() + "@dup" : m.docId()), m);
        }
        return out;
    }

    private static String code(String error) {
        RowError c = RowError.codeOf(error);
        return c == null ? "ok" : c.name();
    }

    @Test
    @Timeout(300)
    void memorizeThenAnswerWritesOneCheckedRowPerInputRow(SparkSession spark, @TempDir Path dir)
            throws Exception {
        List<String> docs = new ArrayList<>(JobInputs.docLines(List.of(PENSION, ABE), DOC_CHARS));
        docs.add("{\"doc_id\":\"" + ABE + "\",\"text\":\"a second Abe document\"}");
        docs.add("{\"doc_id\":\"empty-doc\",\"text\":\"   \"}");
        docs.add("{\"title\":\"no id\",\"text\":\"some text\"}");
        docs.add("{\"doc_id\":\"broken\",\"text\":");
        Path corpus = JobInputs.write(dir.resolve("docs.jsonl"), docs);
        String store = dir.resolve("store").toUri().toString();

        RunSummary m = MemorizeJob.run(spark, MemorizeArgs.parse(new String[] {"--corpus",
            corpus.toString(), "--store", store, "--partitions", "2"}));
        assertEquals(2L, m.fields().get("documents"), m.table());
        Map<String, ManifestRow> rows = manifest(spark, MemorizeArgs.defaultManifest(store));
        assertEquals(docs.size(), rows.size(), "one manifest row per corpus row: " + rows.keySet());
        assertEquals("ok", code(rows.get(PENSION).error()));
        assertEquals("DUPLICATE_DOC_ID", code(rows.get(ABE + "@dup").error()));
        assertEquals("EMPTY_TEXT", code(rows.get("empty-doc").error()));
        Map<String, Long> codes = new HashMap<>();
        rows.values().forEach(r -> codes.merge(code(r.error()), 1L, Long::sum));
        assertEquals(Map.of("ok", 2L, "DUPLICATE_DOC_ID", 1L, "EMPTY_TEXT", 1L,
                "MISSING_DOC_ID", 1L, "MALFORMED_ROW", 1L), codes);
        ManifestRow pension = rows.get(PENSION);
        assertTrue(pension.nChunks() > 1 && pension.nTokens() > 1000, pension.toString());
        assertEquals(DOC_CHARS, pension.nChars());
        assertFalse(pension.skipped());
        assertTrue(Files.exists(Path.of(java.net.URI.create(pension.versionPath()))
                .resolve("_COMMITTED")), pension.versionPath());

        List<String> questions = new ArrayList<>(JobInputs.questionLines(List.of(PENSION, ABE), 2));
        questions.add("{\"question_id\":\"unknown-doc\",\"doc_id\":\"no-such-doc\","
                + "\"question\":\"Who?\"}");
        questions.add("{\"question_id\":\"failed-doc\",\"doc_id\":\"empty-doc\","
                + "\"question\":\"Who?\"}");
        questions.add("{\"question_id\":\"no-question\",\"doc_id\":\"" + PENSION + "\","
                + "\"task_type\":\"qa\"}");
        questions.add("{\"question_id\":\"summary\",\"doc_id\":\"" + ABE + "\","
                + "\"task_type\":\"summarize\"}");
        questions.add("{\"question_id\":\"needs-memory\",\"doc_id\":\"" + ABE + "\","
                + "\"question\":\"Who shot Abe?\",\"task_type\":\"memorag\"}");
        questions.add("{\"question_id\":\"broken\",");
        Path qfile = JobInputs.write(dir.resolve("questions.jsonl"), questions);
        String out = dir.resolve("answers").toString();
        RunSummary a = AnswerJob.run(spark, AnswerArgs.parse(new String[] {"--questions",
            qfile.toString(), "--store", store, "--out", out, "--task", "rag"}));

        List<Row> answers = spark.read().parquet(out).collectAsList();
        assertEquals(Schemas.ANSWERS, spark.read().parquet(out).schema());
        assertEquals(questions.size(), answers.size(), "exactly one answer row per question");
        Map<String, AnswerRow> byId = new HashMap<>();
        for (Row r : answers) {
            AnswerRow ar = Rows.answer(r);
            byId.put(ar.questionId() == null || ar.error() != null
                    && ar.error().startsWith("MALFORMED_ROW") ? "#malformed" : ar.questionId(), ar);
        }
        assertEquals("UNKNOWN_DOC", code(byId.get("unknown-doc").error()));
        assertEquals("DOC_FAILED", code(byId.get("failed-doc").error()));
        assertTrue(byId.get("failed-doc").error().contains("EMPTY_TEXT"));
        assertEquals("MISSING_QUESTION", code(byId.get("no-question").error()));
        assertEquals("GENERATION_FAILED", code(byId.get("needs-memory").error()));
        assertEquals("MALFORMED_ROW", code(byId.get("#malformed").error()));
        // valid rows (summarize needs no question text) that the pipeline cannot answer without a
        // memory (memory.mode none): the generator failure is the row's error, the job goes on
        assertEquals("GENERATION_FAILED", code(byId.get("summary").error()));
        assertTrue(byId.get("summary").error().contains("NO_MEMORY"), byId.get("summary").error());
        int ok = 0;
        for (AnswerRow ar : byId.values()) {
            if (!ar.status().equals(AnswerRow.OK)) {
                continue;
            }
            ok++;
            assertFalse(ar.answer().isBlank(), ar.questionId());
            assertFalse(ar.evidence().isEmpty(), ar.questionId());
            int chunks = rows.get(ar.docId()).nChunks();
            for (EvidenceRow e : ar.evidence()) {
                assertTrue(e.chunkId() >= 0 && e.chunkId() < chunks, ar.questionId()
                        + " cites chunk " + e.chunkId() + " of " + chunks);
                assertNotNull(e.text());
            }
            assertEquals(questions.stream().filter(l -> l.contains(ar.questionId()))
                    .findFirst().orElseThrow().contains("\"answers\""), ar.goldAnswers() != null);
        }
        assertEquals(4, ok, "the 4 demo questions");
        assertEquals(4L, a.fields().get("questions_answered"), a.table());
        assertTrue(Files.exists(Path.of(out, RunSummary.FILE)));

        // `memorag answers` reads the same folder without Spark: counts agree with the rows
        java.io.StringWriter printed = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new org.memorag.cli.Main());
        cli.setOut(new java.io.PrintWriter(printed));
        assertEquals(0, cli.execute("answers", "--in", out, "--limit", "2"));
        long errors = answers.size() - ok;
        assertTrue(printed.toString().startsWith(answers.size() + " answers in " + out
                + "; by status: {error=" + errors + ", ok=" + ok + "}"), printed.toString());
        assertEquals(2, printed.toString().split("\n  answer:   ", -1).length - 1,
                printed.toString());
    }

    @Test
    @Timeout(300)
    void secondRunSkipsUnchangedDocumentsAndRememorizesAChangedOne(SparkSession spark,
            @TempDir Path dir) {
        List<String> docs = JobInputs.docLines(List.of(ABE, NAGA), DOC_CHARS);
        String store = dir.resolve("store").toUri().toString();
        Path corpus = JobInputs.write(dir.resolve("docs.jsonl"), docs);
        String[] args = {"--corpus", corpus.toString(), "--store", store};
        MemorizeJob.run(spark, MemorizeArgs.parse(args));
        Map<String, ManifestRow> first = manifest(spark, MemorizeArgs.defaultManifest(store));

        String changed = docs.get(1).replace("\"text\": \"", "\"text\": \"UPDATED. ")
                .replace("\"text\":\"", "\"text\":\"UPDATED. ");
        JobInputs.write(corpus, List.of(docs.get(0), changed));
        RunSummary s = MemorizeJob.run(spark, MemorizeArgs.parse(args));
        Map<String, ManifestRow> second = manifest(spark, MemorizeArgs.defaultManifest(store));
        ManifestRow abe = second.get(ABE);
        ManifestRow naga = second.get(NAGA);
        assertTrue(abe.skipped(), "unchanged document skipped: " + abe);
        assertEquals(first.get(ABE).versionPath(), abe.versionPath());
        assertFalse(naga.skipped(), "changed document memorized again: " + naga);
        assertFalse(first.get(NAGA).versionPath().equals(naga.versionPath()));
        assertEquals(1L, s.fields().get("documents"), s.table());
        assertEquals(1L, s.fields().get("documents_skipped"), s.table());
    }
}
