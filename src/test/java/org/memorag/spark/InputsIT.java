package org.memorag.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.testing.LocalSpark;

@ExtendWith(LocalSpark.class)
class InputsIT {

    /** doc_id (or "#row") -> error code name ("ok" for a valid row). */
    private static Map<String, String> codes(Dataset<Row> validated, String key) {
        Map<String, String> out = new TreeMap<>();
        for (Row r : validated.collectAsList()) {
            String id = r.getAs(key) == null ? "#" + Rows.rowIndex(r) : r.getAs(key);
            RowError code = RowError.codeOf(Rows.error(r));
            String prev = out.put(id + (out.containsKey(id) ? "@" + Rows.rowIndex(r) : ""),
                    code == null ? "ok" : code.name());
            assertNull(prev);
        }
        return out;
    }

    @Test
    void evalShapedJsonlIsValidAsItIs(SparkSession spark, @TempDir Path dir) throws IOException {
        Path docs = dir.resolve("docs.jsonl");
        Files.writeString(docs, """
                {"doc_id":"Bdb001","dataset":"qmsum","lang":"en","title":"QMSum meeting","text":"Grad C: Yeah , we had a long discussion ."}
                {"doc_id":"kjv-57-Philemon","dataset":"kjv","lang":"en","title":"Philemon","text":"1:1 Paul, a prisoner of Jesus Christ."}
                """);
        Path qs = dir.resolve("questions.jsonl");
        Files.writeString(qs, """
                {"question_id":"Bdb001.001","doc_id":"Bdb001","question":"Summarize the whole meeting","answers":["They talked."],"task":"summarize","metric":"rouge_l"}
                {"question_id":"Bdb001.002","doc_id":"Bdb001","question":"Who spoke first?","answers":["Grad C"],"task":"qa","metric":"f1"}
                """);
        Dataset<Row> corpus = Inputs.corpus(spark, docs.toString());
        assertEquals(Map.of("Bdb001", "ok", "kjv-57-Philemon", "ok"), codes(corpus, Rows.DOC_ID));
        Row philemon = corpus.filter("doc_id = 'kjv-57-Philemon'").first();
        assertEquals("Philemon", philemon.getAs(Rows.TITLE));
        assertEquals("docs.jsonl", philemon.getAs(Rows.SOURCE));

        List<Row> questions = Inputs.questions(spark, qs.toString(), "qa")
                .orderBy(Rows.ROW_INDEX).collectAsList();
        assertEquals(2, questions.size());
        QuestionRow q = Rows.question(questions.get(0));
        assertEquals("qa", q.taskType(), "job default applies: the eval files' 'task' is ignored");
        assertEquals(List.of("They talked."), q.answers());
        assertNull(Rows.error(questions.get(1)));
    }

    @Test
    void everyBadCorpusRowIsKeptWithItsCode(SparkSession spark, @TempDir Path dir)
            throws IOException {
        Path docs = dir.resolve("docs.jsonl");
        Files.writeString(docs, String.join("\n",
                "{\"doc_id\":\"a\",\"text\":\"first a\"}",
                "{\"text\":\"no id\"}",
                "{\"doc_id\":\"a\",\"text\":\"second a\"}",
                "{\"doc_id\":\"empty\",\"text\":\"\"}",
                "{\"doc_id\":\"blank\",\"text\":\"  \\n \"}",
                "{\"doc_id\":\"nulltext\"}",
                "{\"doc_id\":\"broken\", \"text\": \"unterminated",
                "{\"doc_id\":\"fffd\",\"text\":\"bad \\ufffd byte\"}",
                "{\"doc_id\":\"b\",\"text\":\"fine\",\"extra\":42}") + "\n");
        Dataset<Row> corpus = Inputs.corpus(spark, docs.toString());
        Map<String, String> codes = codes(corpus, Rows.DOC_ID);
        assertEquals(9, corpus.count(), "nothing dropped");
        assertEquals("ok", codes.get("a"));
        assertEquals("DUPLICATE_DOC_ID", codes.get("a@2"));
        assertEquals("MISSING_DOC_ID", codes.get("#1"));
        assertEquals("EMPTY_TEXT", codes.get("empty"));
        assertEquals("EMPTY_TEXT", codes.get("blank"));
        assertEquals("EMPTY_TEXT", codes.get("nulltext"));
        assertEquals("MALFORMED_ROW", codes.get("#6"));
        assertEquals("UNDECODABLE_TEXT", codes.get("fffd"));
        assertEquals("ok", codes.get("b"));
        String dup = Rows.error(corpus.filter("_row_index = 2").first());
        assertTrue(dup.contains("row 3 of docs.jsonl") && dup.contains("row 1 of docs.jsonl"), dup);
    }

    @Test
    void textFolderGivesDocIdsFromFileNames(SparkSession spark, @TempDir Path dir)
            throws IOException {
        Files.writeString(dir.resolve("genesis.txt"), "\uFEFFIn the beginning.");
        Files.writeString(dir.resolve("exodus.txt"), "These are the names.");
        Files.write(dir.resolve("latin1.txt"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(dir.resolve("notes.md"), "ignored: not a .txt file");
        Dataset<Row> corpus = Inputs.corpus(spark, dir.toString());
        assertEquals(Map.of("genesis", "ok", "exodus", "ok", "latin1", "UNDECODABLE_TEXT"),
                codes(corpus, Rows.DOC_ID));
        Row genesis = corpus.filter("doc_id = 'genesis'").first();
        assertEquals("In the beginning.", genesis.getAs(Rows.TEXT), "BOM stripped");
        String err = Rows.error(corpus.filter("doc_id = 'latin1'").first());
        assertTrue(err.contains("latin1.txt"), err);
    }

    @Test
    void parquetCorpusIgnoresExtraColumnsAndNeedsText(SparkSession spark, @TempDir Path dir) {
        String ok = dir.resolve("ok").toString();
        spark.sql("SELECT 'd1' AS doc_id, 'some text' AS text, 7 AS pages").write().parquet(ok);
        Dataset<Row> corpus = Inputs.corpus(spark, ok);
        assertEquals(Map.of("d1", "ok"), codes(corpus, Rows.DOC_ID));
        assertNull(corpus.first().getAs(Rows.TITLE));

        String bad = dir.resolve("bad").toString();
        spark.sql("SELECT 'd1' AS doc_id, 'some text' AS body").write().parquet(bad);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Inputs.corpus(spark, bad));
        assertTrue(e.getMessage().contains("no column 'text'"), e.getMessage());
    }

    @Test
    void everyBadQuestionRowIsKeptWithItsCode(SparkSession spark, @TempDir Path dir)
            throws IOException {
        Path qs = dir.resolve("questions.jsonl");
        Files.writeString(qs, String.join("\n",
                "{\"question_id\":\"q1\",\"doc_id\":\"d\",\"question\":\"Who?\"}",
                "{\"question_id\":\"q1\",\"doc_id\":\"d\",\"question\":\"Again?\"}",
                "{\"doc_id\":\"d\",\"question\":\"No id?\"}",
                "{\"question_id\":\"q3\",\"question\":\"No doc?\"}",
                "{\"question_id\":\"q4\",\"doc_id\":\"d\",\"question\":\"?\",\"task_type\":\"poem\"}",
                "{\"question_id\":\"q5\",\"doc_id\":\"d\",\"task_type\":\"qa\"}",
                "{\"question_id\":\"q6\",\"doc_id\":\"d\",\"task_type\":\"summarize\"}",
                "{\"question_id\":\"q7\",\"doc_id\":\"d\",\"question\":\"?\",\"max_new_tokens\":0}",
                "{\"question_id\":\"q8\",\"doc_id\":\"d\",\"question\":\"?\",\"max_new_tokens\":\"many\"}",
                "not json at all",
                "{\"question_id\":\"q9\",\"doc_id\":\"d\",\"question\":\"?\",\"task_type\":\"RAG\"}")
                + "\n");
        Dataset<Row> questions = Inputs.questions(spark, qs.toString(), "memorag");
        Map<String, String> codes = codes(questions, Rows.QUESTION_ID);
        assertEquals(11, questions.count(), "nothing dropped");
        assertEquals("ok", codes.get("q1"));
        assertEquals("DUPLICATE_QUESTION_ID", codes.get("q1@1"));
        assertEquals("MISSING_QUESTION_ID", codes.get("#2"));
        assertEquals("MISSING_DOC_ID", codes.get("q3"));
        assertEquals("UNKNOWN_TASK_TYPE", codes.get("q4"));
        assertEquals("MISSING_QUESTION", codes.get("q5"));
        assertEquals("ok", codes.get("q6"), "summarize needs no question");
        assertEquals("INVALID_MAX_NEW_TOKENS", codes.get("q7"));
        assertEquals("MALFORMED_ROW", codes.get(codes.containsKey("q8") ? "q8" : "#8"));
        assertEquals("MALFORMED_ROW", codes.get("#9"));
        assertEquals("ok", codes.get("q9"));
        assertEquals("rag", questions.filter("question_id = 'q9'").first().getAs(Rows.TASK_TYPE));
        assertEquals("memorag",
                questions.filter("question_id = 'q1'").first().getAs(Rows.TASK_TYPE));
    }

    @Test
    void missingInputFailsFastNamingThePath(SparkSession spark, @TempDir Path dir) {
        String missing = dir.resolve("nope.jsonl").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Inputs.corpus(spark, missing));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
    }
}
