package org.memorag.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructField;
import org.memorag.rag.config.ConfigKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Answers a question table against memorized documents (DESIGN.md §2): read and validate every
 * question, join with the manifest (unknown documents still get a row), group by document so
 * each memory and index loads once per task, run each question's task, write exactly one answer
 * row per input question as Parquet.
 */
public final class AnswerJob {
    private static final Logger log = LoggerFactory.getLogger(AnswerJob.class);

    private AnswerJob() {}

    public static void main(String[] args) {
        AnswerArgs parsed = AnswerArgs.parse(args);
        SparkSession spark = JobSession.start("memorag-answer", parsed.confFiles());
        try {
            run(spark, parsed);
        } finally {
            spark.stop();
        }
    }

    /** Runs the job on {@code spark}; returns the run summary (also written next to the answers). */
    public static RunSummary run(SparkSession spark, AnswerArgs args) {
        long start = System.currentTimeMillis();
        JobConfig config = JobConfig.from(spark.sparkContext().getConf().getAll(),
                args.confFiles(), spark.sparkContext().hadoopConfiguration(),
                ConfigKeys.BY_NAME.keySet())
                // the tasks of an executor share its cores for embedding (CoreBudget)
                .withDefault(ConfigKeys.EMBEDDER_PARALLELISM.name(),
                        Integer.toString(ExecutorCores.of(spark.sparkContext().getConf())));
        ExecutorModels.memoragConfig(config, GpuBinding.CPU);   // bad values fail on the driver
        Progress progress = Progress.create(spark.sparkContext());
        ProgressListener listener = new ProgressListener("answer", progress, 10_000);
        spark.sparkContext().addSparkListener(listener);
        try {
            Dataset<Row> questions = Inputs.questions(spark, args.questions(), args.task())
                    .cache();
            Dataset<Row> joined = questions.join(manifest(spark, args.manifest()),
                    questions.col(Rows.DOC_ID).equalTo(col(Rows.MANIFEST_PREFIX + Rows.DOC_ID)),
                    "left");
            Dataset<Row> answers = answer(spark, questions, joined, args, config, progress);
            answers.write().mode(SaveMode.Overwrite).parquet(args.out());
            RunSummary summary = summarize(spark, args, progress, start);
            questions.unpersist();
            return summary;
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
    }

    /**
     * The answer rows: questions spread over the tasks by {@link QuestionBalancer} (a document
     * with many questions is shared by several tasks), each task's rows sorted by document and
     * input order so that a document's artifacts load once per task.
     */
    private static Dataset<Row> answer(SparkSession spark, Dataset<Row> questions,
            Dataset<Row> joined, AnswerArgs args, JobConfig config, Progress progress) {
        List<QuestionBalancer.Question> all = new ArrayList<>();
        for (Row r : questions.select(col(Rows.DOC_ID), col(Rows.ROW_INDEX)).collectAsList()) {
            all.add(new QuestionBalancer.Question(r.isNullAt(0) ? null : r.getString(0),
                    r.getLong(1)));
        }
        int partitions = Math.max(1, Math.min(Math.max(1, all.size()), args.partitions() != null
                ? args.partitions() : spark.sparkContext().defaultParallelism()));
        Map<Long, Integer> assignment = QuestionBalancer.assign(all, partitions);
        log.info("answer questions={} partitions={} questions_per_partition={}", all.size(),
                partitions, Arrays.toString(QuestionBalancer.loads(assignment, partitions)));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Map<Long, Integer>> parts = jsc.broadcast(assignment);
        AnswerPartition task = new AnswerPartition(config, args.store(), args.manifest(),
                HadoopSettings.of(spark.sparkContext().hadoopConfiguration()), progress);
        JavaRDD<Row> rows = joined.javaRDD()
                .mapToPair(r -> new Tuple2<>(new TaskKey(parts.value().get(Rows.rowIndex(r)),
                        r.getAs(Rows.DOC_ID), Rows.rowIndex(r)), r))
                .repartitionAndSortWithinPartitions(new TaskKey.ByPartition(partitions))
                .values()
                .mapPartitions(task::call);
        return spark.createDataFrame(rows, Schemas.ANSWERS);
    }

    /**
     * The manifest with one row per doc_id (an ok row wins over error rows of a duplicate) and
     * its columns prefixed, ready for the join.
     */
    static Dataset<Row> manifest(SparkSession spark, String path) {
        Path p = new Path(path);
        try {
            if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
                throw new IllegalArgumentException("no manifest at " + path + "; run"
                        + " jobs/memorize.sh with this --store first, or pass --manifest");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the manifest " + path + ": "
                    + e.getMessage(), e);
        }
        Dataset<Row> m = spark.read().schema(Schemas.MANIFEST).parquet(path)
                .filter(col(Rows.DOC_ID).isNotNull());
        Column okFirst = when(col(Rows.STATUS).equalTo(AnswerRow.OK), 0).otherwise(1);
        Dataset<Row> one = m.withColumn("_rank", row_number().over(
                        Window.partitionBy(col(Rows.DOC_ID)).orderBy(okFirst)))
                .filter(col("_rank").equalTo(1)).drop("_rank");
        List<Column> cols = new ArrayList<>();
        for (StructField f : Schemas.MANIFEST.fields()) {
            cols.add(col(f.name()).as(Rows.MANIFEST_PREFIX + f.name()));
        }
        return one.select(cols.toArray(Column[]::new));
    }

    private static RunSummary summarize(SparkSession spark, AnswerArgs args, Progress progress,
            long start) {
        RunSummary s = new RunSummary("answer", spark.sparkContext().applicationId(),
                spark.sparkContext().master(), start);
        Jobs.Counts counts = Jobs.count(spark.read().schema(Schemas.ANSWERS).parquet(args.out()));
        s.put("questions", args.questions()).put("store", args.store())
                .put("manifest", args.manifest()).put("out", args.out())
                .put("rows", counts.rows()).put("rows_by_status", counts.byStatus())
                .put("errors_by_code", counts.byCode()).counters(progress.totals());
        s.writeTo(args.out(), spark.sparkContext().hadoopConfiguration());
        log.info("{}", s.table());
        return s;
    }
}
