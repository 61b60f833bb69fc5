package org.memorag.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.substring_index;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.memorag.rag.config.ConfigKeys;

/** The row counts a job puts in its run summary, from one aggregation of its output table. */
final class Jobs {
    private Jobs() {}

    /**
     * The job's pipeline settings (Spark conf, then the --conf files), with the executor's cores
     * as the embedding core budget unless set (the tasks of an executor share them, CoreBudget);
     * bad values fail here, on the driver, before any task starts.
     */
    static JobConfig config(SparkSession spark, List<String> confFiles) {
        JobConfig config = JobConfig.from(spark.sparkContext().getConf().getAll(), confFiles,
                spark.sparkContext().hadoopConfiguration(), ConfigKeys.BY_NAME.keySet())
                .withDefault(ConfigKeys.EMBEDDER_PARALLELISM.name(),
                        Integer.toString(ExecutorCores.of(spark.sparkContext().getConf())));
        ExecutorModels.memoragConfig(config, GpuBinding.CPU);
        return config;
    }

    /** Counts of an output table: all rows, by status, by error code (text before ':'). */
    record Counts(long rows, Map<String, Long> byStatus, Map<String, Long> byCode) {
        long errors() {
            return byStatus.getOrDefault(AnswerRow.ERROR, 0L);
        }
    }

    static Counts count(Dataset<Row> table) {
        long rows = 0;
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, Long> byCode = new TreeMap<>();
        for (Row r : table.groupBy(col(Rows.STATUS),
                substring_index(col(Rows.ERROR), ":", 1).as("code")).count().collectAsList()) {
            long n = r.getLong(2);
            rows += n;
            byStatus.merge(r.isNullAt(0) ? "null" : r.getString(0), n, Long::sum);
            if (!r.isNullAt(1)) {
                byCode.merge(r.getString(1), n, Long::sum);
            }
        }
        return new Counts(rows, byStatus, byCode);
    }
}
