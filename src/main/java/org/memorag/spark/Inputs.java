package org.memorag.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the corpus and question tables (Parquet, JSON Lines, or for the corpus a folder of .txt
 * files whose names are the doc_ids) and validates every row. Bad rows are kept and marked in
 * the {@code error} column; extra input columns are ignored.
 */
public final class Inputs {
    private Inputs() {}

    private static final String CORRUPT = "_corrupt_record";

    /** The corpus at {@code path}, validated: schema {@link Schemas#VALID_CORPUS}. */
    public static Dataset<Row> corpus(SparkSession spark, String path) {
        Dataset<Row> checked = withRowIndex(spark, rawCorpus(spark, path), Schemas.RAW_CORPUS)
                .map((MapFunction<Row, Row>) r -> appendError(r, Validation.corpusError(
                        r.getAs(Rows.DOC_ID), r.getAs(Rows.TEXT), r.getAs(Rows.MALFORMED),
                        where(r))), Encoders.row(Schemas.VALID_CORPUS));
        return markDuplicates(checked, Rows.DOC_ID, Schemas.VALID_CORPUS, true);
    }

    /**
     * The questions at {@code path}, validated: schema {@link Schemas#VALID_QUESTIONS}, with
     * {@code task_type} filled by {@code defaultTask} where the row has none.
     */
    public static Dataset<Row> questions(SparkSession spark, String path, String defaultTask) {
        if (!Validation.TASK_TYPES.contains(defaultTask)) {
            throw new IllegalArgumentException("--task " + defaultTask + " is not a task type; use"
                    + " one of " + String.join(", ", Validation.TASK_TYPES));
        }
        Dataset<Row> raw = rawQuestions(spark, path);
        Dataset<Row> checked = withRowIndex(spark, raw, Schemas.RAW_QUESTIONS)
                .map((MapFunction<Row, Row>) r -> {
                    Object[] v = values(r);
                    String task = Validation.taskType(r.getAs(Rows.TASK_TYPE), defaultTask);
                    v[r.fieldIndex(Rows.TASK_TYPE)] = task;
                    String error = Validation.questionError(r.getAs(Rows.QUESTION_ID),
                            r.getAs(Rows.DOC_ID), r.getAs(Rows.QUESTION), task,
                            r.getAs(Rows.MAX_NEW_TOKENS), r.getAs(Rows.MALFORMED), where(r));
                    return appendError(RowFactory.create(v), error);
                }, Encoders.row(Schemas.VALID_QUESTIONS));
        return markDuplicates(checked, Rows.QUESTION_ID, Schemas.VALID_QUESTIONS, false);
    }

    /** The corpus rows as read, schema {@link Schemas#RAW_CORPUS}. */
    public static Dataset<Row> rawCorpus(SparkSession spark, String path) {
        InputFormat format = InputFormat.detect(path, spark.sparkContext().hadoopConfiguration());
        return switch (format) {
            case PARQUET -> fromParquet(spark, path, Schemas.RAW_CORPUS, List.of(Rows.DOC_ID,
                    Rows.TEXT));
            case JSONL -> fromJson(spark, path, Schemas.CORPUS, Schemas.RAW_CORPUS);
            case TEXT_FILES -> fromTextFiles(spark, path);
        };
    }

    /** The question rows as read, schema {@link Schemas#RAW_QUESTIONS}. */
    public static Dataset<Row> rawQuestions(SparkSession spark, String path) {
        InputFormat format = InputFormat.detect(path, spark.sparkContext().hadoopConfiguration());
        return switch (format) {
            case PARQUET -> fromParquet(spark, path, Schemas.RAW_QUESTIONS,
                    List.of(Rows.QUESTION_ID, Rows.DOC_ID));
            case JSONL -> fromJson(spark, path, Schemas.QUESTIONS, Schemas.RAW_QUESTIONS);
            case TEXT_FILES -> throw new IllegalArgumentException("questions " + path + " are"
                    + " text files; questions must be Parquet or JSON Lines with question_id,"
                    + " doc_id, question");
        };
    }

    private static Dataset<Row> fromJson(SparkSession spark, String path, StructType table,
            StructType raw) {
        StructType readSchema = table.add(CORRUPT, "string");
        Dataset<Row> df = spark.read().schema(readSchema).option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT).option("encoding", "UTF-8")
                .json(path);
        List<Column> cols = new ArrayList<>();
        for (StructField f : table.fields()) {
            cols.add(col(f.name()));
        }
        cols.add(col("_metadata.file_name").as(Rows.SOURCE));
        cols.add(when(col(CORRUPT).isNotNull(), functions.concat(lit("not a JSON object with the"
                + " expected field types: "), functions.substring(col(CORRUPT), 1, 80)))
                .as(Rows.MALFORMED));
        return df.select(cols.toArray(Column[]::new)).to(raw);
    }

    private static Dataset<Row> fromParquet(SparkSession spark, String path, StructType raw,
            List<String> required) {
        Dataset<Row> df = spark.read().parquet(path);
        List<String> have = Arrays.asList(df.columns());
        for (String r : required) {
            if (!have.contains(r)) {
                throw new IllegalArgumentException("input " + path + " has no column '" + r
                        + "' (it has " + have + "); rename the column or fix the path");
            }
        }
        List<Column> cols = new ArrayList<>();
        Column malformed = lit(null).cast("string");
        for (StructField f : raw.fields()) {
            if (f.name().equals(Rows.SOURCE)) {
                cols.add(col("_metadata.file_name").as(Rows.SOURCE));
            } else if (f.name().equals(Rows.MALFORMED)) {
                continue;
            } else if (have.contains(f.name())) {
                Column c = col(f.name()).try_cast(f.dataType());
                malformed = when(col(f.name()).isNotNull().and(c.isNull()),
                        lit("column " + f.name() + " is not " + f.dataType().simpleString()))
                        .otherwise(malformed);
                cols.add(c.as(f.name()));
            } else {
                cols.add(lit(null).cast(f.dataType()).as(f.name()));
            }
        }
        cols.add(malformed.as(Rows.MALFORMED));
        return df.select(cols.toArray(Column[]::new)).to(raw);
    }

    private static Dataset<Row> fromTextFiles(SparkSession spark, String path) {
        Dataset<Row> files = spark.read().format("binaryFile").option("pathGlobFilter", "*.txt")
                .load(path).select(col("path"), col("content"));
        return files.map((MapFunction<Row, Row>) f -> {
            String file = new org.apache.hadoop.fs.Path(f.getString(0)).getName();
            String docId = file.substring(0, file.length() - ".txt".length());
            byte[] bytes = f.getAs(1);
            try {
                String text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
                if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
                    text = text.substring(1);  // a UTF-8 byte order mark is not document text
                }
                return Rows.rawCorpus(docId, text, null, null, file, null);
            } catch (CharacterCodingException e) {
                return Rows.rawCorpus(docId, null, null, null, file,
                        Validation.UNDECODABLE + e.getMessage());
            }
        }, Encoders.row(Schemas.RAW_CORPUS));
    }

    /** Adds {@link Rows#ROW_INDEX}: the row's 0-based position in input order. */
    private static Dataset<Row> withRowIndex(SparkSession spark, Dataset<Row> raw,
            StructType schema) {
        JavaRDD<Row> indexed = raw.javaRDD().zipWithIndex().map(t -> {
            Object[] v = Arrays.copyOf(values(t._1()), schema.size() + 1);
            v[schema.size()] = t._2();
            return RowFactory.create(v);
        });
        return spark.createDataFrame(indexed, schema.add(Rows.ROW_INDEX, "long"));
    }

    /**
     * Marks every valid row whose key an earlier valid row already has. The keys (key, row
     * index, source) of the valid rows are collected to the driver, which finds the repeats;
     * the rows themselves are only mapped, never shuffled (the jobs collect these keys anyway,
     * to balance their tasks, and a shuffle would move every document's text).
     */
    private static Dataset<Row> markDuplicates(Dataset<Row> checked, String key,
            StructType schema, boolean corpus) {
        List<Row> keys = checked.filter(col(Rows.ERROR).isNull())
                .select(col(key), col(Rows.ROW_INDEX), col(Rows.SOURCE)).collectAsList();
        Map<Long, String> duplicates = duplicates(keys, corpus);
        if (duplicates.isEmpty()) {
            return checked;
        }
        Broadcast<Map<Long, String>> marks = JavaSparkContext.fromSparkContext(
                checked.sparkSession().sparkContext()).broadcast(duplicates);
        // by position: rows reaching a map from an earlier map carry no schema
        int errorColumn = schema.fieldIndex(Rows.ERROR);
        int indexColumn = schema.fieldIndex(Rows.ROW_INDEX);
        return checked.map((MapFunction<Row, Row>) r -> {
            String mark = r.isNullAt(errorColumn) ? marks.value().get(r.getLong(indexColumn))
                    : null;
            if (mark == null) {
                return r;
            }
            Object[] v = values(r);
            v[errorColumn] = mark;
            return RowFactory.create(v);
        }, Encoders.row(schema));
    }

    /**
     * Row index of every repeat to its error message, from rows (key, row index, source) of
     * valid rows: the first row of a key in input order is kept, later ones point at it.
     */
    static Map<Long, String> duplicates(List<Row> keys, boolean corpus) {
        List<Row> sorted = new ArrayList<>(keys);
        sorted.sort(Comparator.comparingLong(r -> r.getLong(1)));
        Map<String, Row> first = new HashMap<>();
        Map<Long, String> out = new HashMap<>();
        for (Row r : sorted) {
            String k = r.getString(0);
            Row earlier = first.putIfAbsent(k, r);
            if (earlier != null) {
                String firstWhere = Validation.where(earlier.getLong(1), earlier.getString(2));
                String here = where(r.getString(2), r.getLong(1));
                out.put(r.getLong(1), corpus ? Validation.duplicateDoc(k, here, firstWhere)
                        : Validation.duplicateQuestion(k, here, firstWhere));
            }
        }
        return out;
    }

    private static String where(Row r) {
        return where(r.getAs(Rows.SOURCE), r.<Long>getAs(Rows.ROW_INDEX));
    }

    private static String where(String source, long rowIndex) {
        if (source != null && source.endsWith(".txt")) {
            return "file " + source;
        }
        return Validation.where(rowIndex, source);
    }

    private static Row appendError(Row r, String error) {
        Object[] v = Arrays.copyOf(values(r), r.size() + 1);
        v[r.size()] = error;
        return RowFactory.create(v);
    }

    private static Object[] values(Row r) {
        Object[] v = new Object[r.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.get(i);
        }
        return v;
    }
}
