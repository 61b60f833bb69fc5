package org.memorag.spark;

import static org.memorag.spark.Rows.ANSWER;
import static org.memorag.spark.Rows.CHUNK_ID;
import static org.memorag.spark.Rows.CLUES;
import static org.memorag.spark.Rows.DOC_ID;
import static org.memorag.spark.Rows.ERROR;
import static org.memorag.spark.Rows.EVIDENCE_COL;
import static org.memorag.spark.Rows.GOLD_ANSWERS;
import static org.memorag.spark.Rows.LANG;
import static org.memorag.spark.Rows.MALFORMED;
import static org.memorag.spark.Rows.MAX_NEW_TOKENS;
import static org.memorag.spark.Rows.MEMORIZE_MS;
import static org.memorag.spark.Rows.MEMORY_ANSWER;
import static org.memorag.spark.Rows.MEMORY_BYTES;
import static org.memorag.spark.Rows.MODELS;
import static org.memorag.spark.Rows.N_CHARS;
import static org.memorag.spark.Rows.N_CHUNKS;
import static org.memorag.spark.Rows.N_TOKENS;
import static org.memorag.spark.Rows.PROMPT_TEMPLATE;
import static org.memorag.spark.Rows.QUERIES;
import static org.memorag.spark.Rows.QUESTION;
import static org.memorag.spark.Rows.QUESTION_ID;
import static org.memorag.spark.Rows.ROW_INDEX;
import static org.memorag.spark.Rows.SCORE;
import static org.memorag.spark.Rows.SKIPPED;
import static org.memorag.spark.Rows.SOURCE;
import static org.memorag.spark.Rows.STATUS;
import static org.memorag.spark.Rows.SURROGATE_QUERIES;
import static org.memorag.spark.Rows.TASK_TYPE;
import static org.memorag.spark.Rows.TEXT;
import static org.memorag.spark.Rows.TEXT_SHA256;
import static org.memorag.spark.Rows.TIMINGS_MS;
import static org.memorag.spark.Rows.TOKEN_COUNTS;
import static org.memorag.spark.Rows.TITLE;
import static org.memorag.spark.Rows.TOTAL_MS;
import static org.memorag.spark.Rows.VERSION_PATH;

import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The explicit Spark schemas of the tables in DESIGN.md §6, plus the internal shapes the jobs
 * pass between stages (raw input rows and validated rows, which add where a row came from and
 * why it is bad). Column names come from {@link Rows}.
 */
public final class Schemas {
    private Schemas() {}

    private static final ArrayType STRINGS = DataTypes.createArrayType(DataTypes.StringType, true);

    /** corpus: doc_id, text (required), title, lang (optional). */
    public static final StructType CORPUS = struct(
            field(DOC_ID, DataTypes.StringType), field(TEXT, DataTypes.StringType),
            field(TITLE, DataTypes.StringType), field(LANG, DataTypes.StringType));

    /** questions: question_id, doc_id, question, task_type, answers, max_new_tokens, prompt_template. */
    public static final StructType QUESTIONS = struct(
            field(QUESTION_ID, DataTypes.StringType), field(DOC_ID, DataTypes.StringType),
            field(QUESTION, DataTypes.StringType), field(TASK_TYPE, DataTypes.StringType),
            field(Rows.ANSWERS, STRINGS), field(MAX_NEW_TOKENS, DataTypes.IntegerType),
            field(PROMPT_TEMPLATE, DataTypes.StringType));

    /** One element of answers.evidence. */
    public static final StructType EVIDENCE = struct(
            field(CHUNK_ID, DataTypes.IntegerType), field(SCORE, DataTypes.FloatType),
            field(TEXT, DataTypes.StringType));

    /** answers: exactly one row per input question. */
    public static final StructType ANSWERS = struct(
            field(QUESTION_ID, DataTypes.StringType), field(DOC_ID, DataTypes.StringType),
            field(TASK_TYPE, DataTypes.StringType), field(QUESTION, DataTypes.StringType),
            field(ANSWER, DataTypes.StringType), field(CLUES, STRINGS),
            field(SURROGATE_QUERIES, STRINGS), field(QUERIES, STRINGS),
            field(EVIDENCE_COL, DataTypes.createArrayType(EVIDENCE, true)),
            field(MEMORY_ANSWER, DataTypes.StringType),
            field(MODELS, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType)),
            field(TIMINGS_MS, DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType)),
            field(TOTAL_MS, DataTypes.LongType),
            field(TOKEN_COUNTS,
                    DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType)),
            field(GOLD_ANSWERS, STRINGS),
            field(STATUS, DataTypes.StringType), field(ERROR, DataTypes.StringType));

    /** manifest: one row per corpus row. */
    public static final StructType MANIFEST = struct(
            field(DOC_ID, DataTypes.StringType), field(TEXT_SHA256, DataTypes.StringType),
            field(VERSION_PATH, DataTypes.StringType), field(N_CHARS, DataTypes.IntegerType),
            field(N_TOKENS, DataTypes.IntegerType), field(N_CHUNKS, DataTypes.IntegerType),
            field(MEMORY_BYTES, DataTypes.LongType), field(MEMORIZE_MS, DataTypes.LongType),
            field(STATUS, DataTypes.StringType), field(ERROR, DataTypes.StringType),
            field(SKIPPED, DataTypes.BooleanType));

    /** Corpus rows as read, before validation: + where each came from and why it did not parse. */
    public static final StructType RAW_CORPUS = CORPUS
            .add(field(SOURCE, DataTypes.StringType)).add(field(MALFORMED, DataTypes.StringType));

    /** Question rows as read, before validation. */
    public static final StructType RAW_QUESTIONS = QUESTIONS
            .add(field(SOURCE, DataTypes.StringType)).add(field(MALFORMED, DataTypes.StringType));

    /** Validated corpus rows: {@code error} is null for a row the job may memorize. */
    public static final StructType VALID_CORPUS = RAW_CORPUS
            .add(field(ROW_INDEX, DataTypes.LongType)).add(field(ERROR, DataTypes.StringType));

    /** Validated question rows: {@code error} is null for a row the job may answer. */
    public static final StructType VALID_QUESTIONS = RAW_QUESTIONS
            .add(field(ROW_INDEX, DataTypes.LongType)).add(field(ERROR, DataTypes.StringType));

    public static final Encoder<Row> ANSWERS_ENCODER = Encoders.row(ANSWERS);
    public static final Encoder<Row> MANIFEST_ENCODER = Encoders.row(MANIFEST);

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    private static StructType struct(StructField... fields) {
        return DataTypes.createStructType(fields);
    }
}
