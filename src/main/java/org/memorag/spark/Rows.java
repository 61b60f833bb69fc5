package org.memorag.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The one class that knows the tables' column names (DESIGN.md §6): converts Spark rows to the
 * row records and back. Everything else refers to columns through these constants.
 */
public final class Rows {
    private Rows() {}

    public static final String DOC_ID = "doc_id";
    public static final String TEXT = "text";
    public static final String TITLE = "title";
    public static final String LANG = "lang";
    public static final String QUESTION_ID = "question_id";
    public static final String QUESTION = "question";
    public static final String TASK_TYPE = "task_type";
    public static final String ANSWERS = "answers";
    public static final String MAX_NEW_TOKENS = "max_new_tokens";
    public static final String PROMPT_TEMPLATE = "prompt_template";
    public static final String ANSWER = "answer";
    public static final String CLUES = "clues";
    public static final String SURROGATE_QUERIES = "surrogate_queries";
    public static final String EVIDENCE_COL = "evidence";
    public static final String CHUNK_ID = "chunk_id";
    public static final String SCORE = "score";
    public static final String MEMORY_ANSWER = "memory_answer";
    public static final String MODELS = "models";
    public static final String TIMINGS_MS = "timings_ms";
    public static final String TOTAL_MS = "total_ms";
    public static final String QUERIES = "queries";
    public static final String TOKEN_COUNTS = "token_counts";
    public static final String GOLD_ANSWERS = "gold_answers";
    public static final String STATUS = "status";
    public static final String ERROR = "error";
    public static final String TEXT_SHA256 = "text_sha256";
    public static final String VERSION_PATH = "version_path";
    public static final String N_CHARS = "n_chars";
    public static final String N_TOKENS = "n_tokens";
    public static final String N_CHUNKS = "n_chunks";
    public static final String MEMORY_BYTES = "memory_bytes";
    public static final String MEMORIZE_MS = "memorize_ms";
    public static final String SKIPPED = "skipped";
    /** Internal: the file (or "row N of FILE") a raw input row came from. */
    public static final String SOURCE = "_source";
    /** Internal: why a raw input row could not be parsed, null when it could. */
    public static final String MALFORMED = "_malformed";
    /** Internal: the 0-based position of a row in its input, for messages. */
    public static final String ROW_INDEX = "_row_index";
    /** Prefix of the manifest columns after the answer job's join with the questions. */

    /** A raw corpus row (schema {@link Schemas#RAW_CORPUS}). */
    public static Row rawCorpus(String docId, String text, String title, String lang,
            String source, String malformed) {
        return new GenericRowWithSchema(
                new Object[] {docId, text, title, lang, source, malformed}, Schemas.RAW_CORPUS);
    }

    /** The record of a validated corpus row (any schema with doc_id, text, title, lang). */
    public static CorpusRow corpus(Row row) {
        return new CorpusRow(row.getAs(DOC_ID), row.getAs(TEXT), row.getAs(TITLE), row.getAs(LANG));
    }

    /** The record of a question row (any schema holding the question columns). */
    public static QuestionRow question(Row row) {
        int answers = row.fieldIndex(ANSWERS);
        return new QuestionRow(row.getAs(QUESTION_ID), row.getAs(DOC_ID), row.getAs(QUESTION),
                row.getAs(TASK_TYPE), row.isNullAt(answers) ? null : row.getList(answers),
                row.getAs(MAX_NEW_TOKENS), row.getAs(PROMPT_TEMPLATE));
    }

    /** An answers-table row (schema {@link Schemas#ANSWERS}). */
    public static Row of(AnswerRow a) {
        List<Row> evidence = null;
        if (a.evidence() != null) {
            evidence = new ArrayList<>(a.evidence().size());
            for (EvidenceRow e : a.evidence()) {
                evidence.add(new GenericRowWithSchema(
                        new Object[] {e.chunkId(), e.score(), e.text()}, Schemas.EVIDENCE));
            }
        }
        return new GenericRowWithSchema(new Object[] {a.questionId(), a.docId(), a.taskType(),
            a.question(), a.answer(), seq(a.clues()), seq(a.surrogateQueries()),
            seq(a.queries()), seq(evidence), a.memoryAnswer(), map(a.models()),
            map(a.timingsMs()), a.totalMs(), map(a.tokenCounts()), seq(a.goldAnswers()),
            a.status(), a.error()}, Schemas.ANSWERS);
    }

    /** The record of an answers-table row. */
    public static AnswerRow answer(Row row) {
        List<EvidenceRow> evidence = null;
        int ev = row.fieldIndex(EVIDENCE_COL);
        if (!row.isNullAt(ev)) {
            evidence = new ArrayList<>();
            for (Row e : row.<Row>getList(ev)) {
                evidence.add(new EvidenceRow(e.getInt(0), e.getFloat(1), e.getString(2)));
            }
        }
        return new AnswerRow(row.getAs(QUESTION_ID), row.getAs(DOC_ID), row.getAs(TASK_TYPE),
                row.getAs(QUESTION), row.getAs(ANSWER), list(row, CLUES),
                list(row, SURROGATE_QUERIES), list(row, QUERIES), evidence,
                row.getAs(MEMORY_ANSWER), javaMap(row, MODELS), javaMap(row, TIMINGS_MS),
                row.<Long>getAs(TOTAL_MS), javaMap(row, TOKEN_COUNTS), list(row, GOLD_ANSWERS),
                row.getAs(STATUS), row.getAs(ERROR));
    }

    /** A manifest-table row (schema {@link Schemas#MANIFEST}). */
    public static Row of(ManifestRow m) {
        return new GenericRowWithSchema(new Object[] {m.docId(), m.textSha256(), m.versionPath(),
            m.nChars(), m.nTokens(), m.nChunks(), m.memoryBytes(), m.memorizeMs(), m.status(),
            m.error(), m.skipped()}, Schemas.MANIFEST);
    }

    /** The record of a manifest row (schema {@link Schemas#MANIFEST}). */
    public static ManifestRow manifest(Row row) {
        return new ManifestRow(row.getAs(DOC_ID), row.getAs(TEXT_SHA256),
                row.getAs(VERSION_PATH), row.getAs(N_CHARS), row.getAs(N_TOKENS),
                row.getAs(N_CHUNKS), row.getAs(MEMORY_BYTES), row.getAs(MEMORIZE_MS),
                row.getAs(STATUS), row.getAs(ERROR), Boolean.TRUE.equals(row.getAs(SKIPPED)));
    }

    /** The validation error of a validated input row, null when the row is fine. */
    public static String error(Row row) {
        return row.getAs(ERROR);
    }

    /** The input position of a validated row. */
    public static long rowIndex(Row row) {
        return row.<Long>getAs(ROW_INDEX);
    }

    private static List<String> list(Row row, String column) {
        int i = row.fieldIndex(column);
        return row.isNullAt(i) ? null : row.getList(i);
    }

    private static <V> Map<String, V> javaMap(Row row, String column) {
        int i = row.fieldIndex(column);
        return row.isNullAt(i) ? null : new LinkedHashMap<>(row.<String, V>getJavaMap(i));
    }

    private static <V> Object map(Map<String, V> values) {
        return values == null ? null
                : scala.collection.immutable.Map.from(CollectionConverters.asScala(values));
    }

    private static <T> Seq<T> seq(List<T> values) {
        return values == null ? null : CollectionConverters.asScala(values).toList();
    }
}
