package org.memorag.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

class RowsTest {

    @Test
    void answerRowRoundTripsThroughASparkRow() {
        AnswerRow a = new AnswerRow("q1", "d1", "memorag", "Who?", "Paul.", List.of("a clue"),
                List.of("who wrote it?"), List.of("a clue", "who wrote it?", "Who?"),
                List.of(new EvidenceRow(3, 0.75f, "Paul, a prisoner")), "Paul",
                Map.of("memory", "beacon@1a2b", "embedder", "bge@3c4d"),
                Map.of("recall", 12L, "generate", 30L), 45L, Map.of("prompt", 800, "generated", 12),
                List.of("Paul"), AnswerRow.OK, null);
        Row row = Rows.of(a);
        assertEquals(Schemas.ANSWERS, row.schema());
        assertEquals(a, Rows.answer(row));
    }

    @Test
    void errorAnswerRowKeepsTheQuestion() {
        AnswerRow e = AnswerRow.error("q2", "nope", "qa", "Where?", null,
                RowError.UNKNOWN_DOC.message("doc_id 'nope' is not in the manifest"));
        assertEquals(e, Rows.answer(Rows.of(e)));
        assertThrows(IllegalArgumentException.class, () -> AnswerRow.error("q", "d", "qa", "?",
                null, " "));
    }

    @Test
    void manifestRowRoundTrips() {
        ManifestRow m = new ManifestRow("d1", "ab12", "file:/s/docs/d1/ab12-f", 100, 30, 2, 4096L,
                120L, AnswerRow.OK, null, true);
        assertEquals(m, Rows.manifest(Rows.of(m)));
    }

    @Test
    void schemasHaveTheDesignColumnsInOrder() {
        assertEquals(List.of("doc_id", "text_sha256", "version_path", "n_chars", "n_tokens",
                "n_chunks", "memory_bytes", "memorize_ms", "status", "error", "skipped"),
                List.of(Schemas.MANIFEST.fieldNames()));
        assertEquals(List.of("question_id", "doc_id", "question", "task_type", "answers",
                "max_new_tokens", "prompt_template"), List.of(Schemas.QUESTIONS.fieldNames()));
        assertEquals(List.of("doc_id", "text", "title", "lang"),
                List.of(Schemas.CORPUS.fieldNames()));
        assertEquals("array<struct<chunk_id:int,score:float,text:string>>",
                Schemas.ANSWERS.apply("evidence").dataType().simpleString());
    }

    private static Object[] toArray(Row r) {
        Object[] v = new Object[r.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.get(i);
        }
        return v;
    }
}
