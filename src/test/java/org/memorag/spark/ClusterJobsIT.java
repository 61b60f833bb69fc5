package org.memorag.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.memorag.spark.JobInputs.ABE;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.security.alias.CredentialProvider;
import org.apache.hadoop.security.alias.CredentialProviderFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.testing.LocalSpark;
import org.memorag.testing.S3ProxyServer;
import org.memorag.testing.StandaloneCluster;
import software.amazon.awssdk.services.s3.S3Client;

/** The same jobs on a standalone cluster (executor JVMs) and with the store on s3a://. */
class ClusterJobsIT {

    @AfterAll
    static void closeModels() {
        ExecutorModels.closeAll();
    }

    /** Memorizes one demo document (+ a bad row) and answers two of its questions (+ a bad one). */
    private static List<Row> memorizeAndAnswer(SparkSession spark, Path dir, String store) {
        List<String> docs = new java.util.ArrayList<>(
                JobInputs.docLines(List.of(ABE), JobsIT.DOC_CHARS));
        docs.add("{\"doc_id\":\"empty\",\"text\":\"\"}");
        Path corpus = JobInputs.write(dir.resolve("docs.jsonl"), docs);
        RunSummary m = MemorizeJob.run(spark, MemorizeArgs.parse(new String[] {"--corpus",
            corpus.toString(), "--store", store}));
        assertEquals(1L, m.fields().get("documents"), m.table());
        List<String> qs = new java.util.ArrayList<>(JobInputs.questionLines(List.of(ABE), 2));
        qs.add("{\"question_id\":\"elsewhere\",\"doc_id\":\"not-memorized\",\"question\":\"?\"}");
        Path questions = JobInputs.write(dir.resolve("questions.jsonl"), qs);
        String out = dir.resolve("answers").toString();
        AnswerJob.run(spark, AnswerArgs.parse(new String[] {"--questions", questions.toString(),
            "--store", store, "--out", out, "--task", "rag"}));
        return spark.read().parquet(out).orderBy(Rows.QUESTION_ID).collectAsList();
    }

    private static void checkAnswers(List<Row> rows) {
        assertEquals(3, rows.size());
        Map<String, String> status = new java.util.TreeMap<>();
        for (Row r : rows) {
            AnswerRow a = Rows.answer(r);
            status.put(a.questionId(), a.status().equals(AnswerRow.OK) ? "ok"
                    : RowError.codeOf(a.error()).name());
            if (a.status().equals(AnswerRow.OK)) {
                assertTrue(!a.evidence().isEmpty() && !a.answer().isBlank(), a.toString());
            }
        }
        assertEquals(List.of("ok", "ok", "UNKNOWN_DOC"), List.copyOf(status.values()), status
                .toString());
    }

    @Test
    @Timeout(300)
    void standaloneClusterRunsTheJobsOnExecutorJvms(@TempDir Path dir) {
        long workerPid;
        try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 3072)) {
            workerPid = cluster.workerPid();
            SparkSession spark = cluster.sessionBuilder(2048).getOrCreate();
            try {
                String store = dir.resolve("store").toUri().toString();
                checkAnswers(memorizeAndAnswer(spark, dir, store));
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + cluster.logs(), e);
            } finally {
                spark.stop();
            }
        }
        assertTrue(ProcessHandle.of(workerPid).map(h -> !h.isAlive()).orElse(true),
                "the Worker JVM was stopped by PID");
    }

    @Test
    @Timeout(300)
    void storeOnS3aWithKeysFromAHadoopCredentialProvider(@TempDir Path dir) throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"), "memorag")) {
            // the keys live in a JCEKS credential store, not in the Spark or Hadoop settings
            String jceks = "jceks://file" + dir.resolve("s3.jceks");
            org.apache.hadoop.conf.Configuration c = new org.apache.hadoop.conf.Configuration();
            c.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, jceks);
            CredentialProvider provider = CredentialProviderFactory.getProviders(c).get(0);
            provider.createCredentialEntry("fs.s3a.access.key", s3.accessKey().toCharArray());
            provider.createCredentialEntry("fs.s3a.secret.key", s3.secretKey().toCharArray());
            provider.flush();
            SparkSession.Builder b = LocalSpark.builder("local[2]").config(
                    "spark.hadoop." + CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, jceks);
            s3.s3aSettings().forEach((k, v) -> {
                if (!k.endsWith(".key")) {
                    b.config("spark.hadoop." + k, v);
                }
            });
            SparkSession spark = b.getOrCreate();
            try {
                checkAnswers(memorizeAndAnswer(spark, dir, "s3a://memorag/store"));
            } finally {
                spark.stop();
            }
            try (S3Client client = s3.client()) {
                List<String> keys = client.listObjectsV2(r -> r.bucket("memorag").prefix("store/"))
                        .contents().stream().map(o -> o.key()).toList();
                assertTrue(keys.stream().anyMatch(k -> k.startsWith("store/docs/")
                        && k.endsWith("/_COMMITTED")), keys.toString());
                assertTrue(keys.stream().anyMatch(k -> k.startsWith("store/manifest/")
                        && k.endsWith(RunSummary.FILE)), keys.toString());
            }
        }
    }
}
