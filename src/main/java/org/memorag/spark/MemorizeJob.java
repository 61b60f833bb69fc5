package org.memorag.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Memorizes a corpus into an artifact store (DESIGN.md §2): read and validate every row, spread
 * the valid documents over tasks by length, memorize each on the executors (skipping versions
 * already committed), and write one manifest row per corpus row as Parquet.
 */
public final class MemorizeJob {
    private static final Logger log = LoggerFactory.getLogger(MemorizeJob.class);

    private MemorizeJob() {}

    public static void main(String[] args) {
        MemorizeArgs parsed = MemorizeArgs.parse(args);
        SparkSession spark = JobSession.start("memorag-memorize", parsed.confFiles());
        try {
            run(spark, parsed);
        } finally {
            spark.stop();
        }
    }

    /** Runs the job on {@code spark}; returns the run summary (also written next to the manifest). */
    public static RunSummary run(SparkSession spark, MemorizeArgs args) {
        long start = System.currentTimeMillis();
        JobConfig config = Jobs.config(spark, args.confFiles());
        Progress progress = Progress.create(spark.sparkContext());
        ProgressListener listener = new ProgressListener("memorize", progress, 10_000);
        spark.sparkContext().addSparkListener(listener);
        try {
            Dataset<Row> corpus = Inputs.corpus(spark, args.corpus()).cache();
            Dataset<Row> invalid = corpus.filter(col(Rows.ERROR).isNotNull())
                    .map((MapFunction<Row, Row>) r -> {
                        String text = r.getAs(Rows.TEXT);
                        return Rows.of(ManifestRow.error(r.getAs(Rows.DOC_ID), null,
                                text == null ? null : text.length(), Rows.error(r)));
                    }, Schemas.MANIFEST_ENCODER);
            Dataset<Row> valid = corpus.filter(col(Rows.ERROR).isNull())
                    .select(Rows.DOC_ID, Rows.TEXT, Rows.TITLE, Rows.LANG);
            Dataset<Row> memorized = memorize(spark, valid, args, config, progress);
            Dataset<Row> manifest = memorized.unionByName(invalid);
            manifest.write().mode(SaveMode.Overwrite).parquet(args.out());
            RunSummary summary = summarize(spark, args, progress, start);
            corpus.unpersist();
            return summary;
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
    }

    private static Dataset<Row> memorize(SparkSession spark, Dataset<Row> valid,
            MemorizeArgs args, JobConfig config, Progress progress) {
        List<LengthBalancer.Item> items = new ArrayList<>();
        for (Row r : valid.select(col(Rows.DOC_ID), length(col(Rows.TEXT))).collectAsList()) {
            items.add(new LengthBalancer.Item(r.getString(0), r.getInt(1)));
        }
        int partitions = Math.max(1, Math.min(items.size(), args.partitions() != null
                ? args.partitions() : spark.sparkContext().defaultParallelism()));
        Map<String, Integer> assignment = LengthBalancer.assign(items, partitions);
        long[] loads = LengthBalancer.loads(items, assignment, partitions);
        log.info("memorize documents={} partitions={} chars_per_partition={}", items.size(),
                partitions, Arrays.toString(loads));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Map<String, Integer>> parts = jsc.broadcast(assignment);
        JavaRDD<Row> rows = valid.javaRDD()
                .mapToPair(r -> new Tuple2<>(parts.value().get(r.<String>getAs(Rows.DOC_ID)), r))
                .partitionBy(new IndexPartitioner(partitions))
                .values()
                .mapPartitions(new MemorizePartition(config, args.store(),
                        HadoopSettings.of(spark.sparkContext().hadoopConfiguration()), progress));
        return spark.createDataFrame(rows, Schemas.MANIFEST);
    }

    private static RunSummary summarize(SparkSession spark, MemorizeArgs args, Progress progress,
            long start) {
        RunSummary s = new RunSummary("memorize", spark.sparkContext().applicationId(),
                spark.sparkContext().master(), start);
        Jobs.Counts counts = Jobs.count(spark.read().schema(Schemas.MANIFEST).parquet(args.out()));
        Map<String, Long> totals = progress.totals();
        totals.put("failures", counts.errors());   // rejected inputs + failed documents
        s.put("corpus", args.corpus()).put("store", args.store()).put("out", args.out())
                .put("rows", counts.rows()).put("rows_by_status", counts.byStatus())
                .put("errors_by_code", counts.byCode()).counters(totals);
        s.writeTo(args.out(), spark.sparkContext().hadoopConfiguration());
        log.info("{}", s.table());
        return s;
    }
}
