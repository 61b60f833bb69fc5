package org.memorag.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

class JobConfigTest {
    private static final Set<String> KEYS = Set.of("retrieve.hits", "memory.mode",
            "generator.api.token_env", "chunk.tokens");

    @SuppressWarnings("unchecked")
    private static Tuple2<String, String>[] conf(String... kv) {
        Tuple2<String, String>[] out = new Tuple2[kv.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Tuple2<>(kv[2 * i], kv[2 * i + 1]);
        }
        return out;
    }

    @Test
    void sparkConfWinsOverFilesAndLaterFilesWin(@TempDir Path dir) throws IOException {
        Path base = dir.resolve("memorag.properties");
        Files.writeString(base, "retrieve.hits=3\nmemory.mode=beacon\nchunk.tokens=512\n");
        Path site = dir.resolve("site.conf");
        Files.writeString(site, "spark.memorag.memory.mode=longllm\nspark.executor.cores=2\n");
        JobConfig c = JobConfig.from(conf("spark.memorag.retrieve.hits", "5", "spark.app.name",
                "x"), List.of(base.toString(), site.toString()), new Configuration(), KEYS);
        assertEquals(Map.of("retrieve.hits", "5", "memory.mode", "longllm", "chunk.tokens", "512"),
                c.settings());
    }

    @Test
    void unknownKeyFailsFastAndSuggestsTheNearest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.from(conf("spark.memorag.retrieve.hit", "5"), List.of(),
                        new Configuration(), KEYS));
        assertTrue(e.getMessage().contains("spark.memorag.retrieve.hit")
                && e.getMessage().contains("did you mean 'spark.memorag.retrieve.hits'"),
                e.getMessage());
    }

    @Test
    void unknownKeyInAFileNamesTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.properties");
        Files.writeString(f, "colour=blue\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.from(conf(), List.of(f.toString()), new Configuration(), KEYS));
        assertTrue(e.getMessage().contains("bad.properties"), e.getMessage());
    }

    @Test
    void fingerprintChangesWithAnySetting() {
        JobConfig a = new JobConfig(Map.of("retrieve.hits", "3"));
        assertEquals(a.fingerprint(), new JobConfig(Map.of("retrieve.hits", "3")).fingerprint());
        assertNotEquals(a.fingerprint(), new JobConfig(Map.of("retrieve.hits", "4"))
                .fingerprint());
    }

    @Test
    void redactionCoversS3aKeysTokensAndCredentials() {
        Pattern p = Pattern.compile(JobConfig.redactionRegex("(?i)secret|password"));
        for (String key : List.of("spark.hadoop.fs.s3a.secret.key", "spark.hadoop.fs.s3a.access.key",
                "spark.executorEnv.OPENAI_API_KEY", "spark.executorEnv.HF_TOKEN",
                "spark.hadoop.hadoop.security.credential.provider.path")) {
            assertTrue(p.matcher(key).find(), key);
        }
        assertTrue(!p.matcher("spark.memorag.retrieve.hits").find());
    }

    @Test
    void secretComesFromHadoopCredentialProviders(@TempDir Path dir) throws Exception {
        Configuration hadoop = new Configuration();
        String jceks = "jceks://file" + dir.resolve("creds.jceks");
        hadoop.set("hadoop.security.credential.provider.path", jceks);
        var provider = org.apache.hadoop.security.alias.CredentialProviderFactory
                .getProviders(hadoop).get(0);
        provider.createCredentialEntry("memorag.test.token", "s3cr3t".toCharArray());
        provider.flush();
        assertEquals("s3cr3t", JobConfig.secret("memorag.test.token", hadoop));
        assertEquals(null, JobConfig.secret("memorag.absent.token", hadoop));
    }
}
