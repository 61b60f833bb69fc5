package org.memorag.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The harnesses themselves: a standalone cluster runs a job; S3Proxy serves S3A. */
class HarnessIT {

    @Test
    @Timeout(180)
    void standaloneClusterRunsAJobOnASeparateExecutorJvm(@TempDir Path dir) {
        long workerPid;
        try (StandaloneCluster cluster = StandaloneCluster.start(dir, 2, 1536)) {
            workerPid = cluster.workerPid();
            SparkSession spark = cluster.sessionBuilder(1024).getOrCreate();
            try {
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                List<Long> pids = jsc.parallelize(List.of(1, 2, 3, 4), 4)
                        .map(i -> ProcessHandle.current().pid()).distinct().collect();
                assertEquals(1, pids.size(), cluster.logs());
                assertFalse(pids.contains(ProcessHandle.current().pid()),
                        "the task ran in an executor JVM, not the driver");
            } finally {
                spark.stop();
            }
        }
        assertFalse(ProcessHandle.of(workerPid).map(ProcessHandle::isAlive).orElse(false),
                "worker stopped by PID");
    }

    @Test
    @Timeout(120)
    void s3ProxyServesParquetThroughS3a(@TempDir Path dir) {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "bucket")) {
            SparkSession.Builder b = LocalSpark.builder("local[2]");
            s3.s3aSettings().forEach((k, v) -> b.config("spark.hadoop." + k, v));
            SparkSession spark = b.getOrCreate();
            try {
                spark.range(10).write().parquet("s3a://bucket/t");
                assertEquals(45L, spark.read().parquet("s3a://bucket/t")
                        .selectExpr("sum(id)").first().getLong(0));
                try (var client = s3.client()) {
                    assertTrue(client.listObjectsV2(r -> r.bucket("bucket")).keyCount() > 0);
                }
            } finally {
                spark.stop();
            }
        }
    }
}
