package org.memorag.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Answers a question table against memorized documents (DESIGN.md §2): read and validate every
 * question, look its document up in the manifest (unknown documents still get a row), spread the
 * questions over tasks by count with each task's rows grouped by document so each memory and
 * index loads once per task, run each question's task, write exactly one answer row per input
 * question as Parquet.
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
        JobConfig config = Jobs.config(spark, args.confFiles());
        Progress progress = Progress.create(spark.sparkContext());
        ProgressListener listener = new ProgressListener("answer", progress, 10_000);
        spark.sparkContext().addSparkListener(listener);
        try {
            Dataset<Row> questions = Inputs.questions(spark, args.questions(), args.task())
                    .cache();
            Dataset<Row> answers = answer(spark, questions, args, config, progress);
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
            AnswerArgs args, JobConfig config, Progress progress) {
        List<QuestionBalancer.Question> all = new ArrayList<>();
        Set<String> docIds = new HashSet<>();
        for (Row r : questions.select(col(Rows.DOC_ID), col(Rows.ROW_INDEX)).collectAsList()) {
            String docId = r.isNullAt(0) ? null : r.getString(0);
            all.add(new QuestionBalancer.Question(docId, r.getLong(1)));
            if (docId != null) {
                docIds.add(docId);
            }
        }
        int partitions = Math.max(1, Math.min(Math.max(1, all.size()), args.partitions() != null
                ? args.partitions() : spark.sparkContext().defaultParallelism()));
        Map<Long, Integer> assignment = QuestionBalancer.assign(all, partitions);
        Map<String, ManifestRow> manifests = manifest(spark, args.manifest(), docIds);
        log.info("answer questions={} documents={} in_manifest={} partitions={}"
                + " questions_per_partition={}", all.size(), docIds.size(), manifests.size(),
                partitions, Arrays.toString(QuestionBalancer.loads(assignment, partitions)));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Map<Long, Integer>> parts = jsc.broadcast(assignment);
        AnswerPartition task = new AnswerPartition(config, args.store(), args.manifest(),
                jsc.broadcast(manifests),
                HadoopSettings.of(spark.sparkContext().hadoopConfiguration()), progress);
        JavaRDD<Row> rows = questions.javaRDD()
                .mapToPair(r -> new Tuple2<>(new TaskKey(parts.value().get(Rows.rowIndex(r)),
                        r.getAs(Rows.DOC_ID), Rows.rowIndex(r)), r))
                .repartitionAndSortWithinPartitions(new TaskKey.ByPartition(partitions))
                .values()
                .mapPartitions(task::call);
        return spark.createDataFrame(rows, Schemas.ANSWERS);
    }

    /**
     * The manifest rows of the questioned documents, one per doc_id (an ok row wins over error
     * rows of a duplicate), streamed to the driver: a lookup table the tasks get by broadcast,
     * instead of a join that shuffles every question row.
     */
    static Map<String, ManifestRow> manifest(SparkSession spark, String path, Set<String> docIds) {
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
        Map<String, ManifestRow> out = new HashMap<>();
        Iterator<Row> rows = spark.read().schema(Schemas.MANIFEST).parquet(path)
                .filter(col(Rows.DOC_ID).isNotNull()).toLocalIterator();
        while (rows.hasNext()) {
            ManifestRow m = Rows.manifest(rows.next());
            if (docIds.contains(m.docId())) {
                out.merge(m.docId(), m, (a, b) -> a.ok() || !b.ok() ? a : b);
            }
        }
        return out;
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
