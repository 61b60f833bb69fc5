package org.memorag.spark;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Starts a job's SparkSession: the {@code spark.*} lines of the job's {@code --conf} files apply
 * unless spark-submit or {@code -Dspark.*} already set them (local mode reads
 * conf/spark-local.conf this way), and redaction covers the project's secrets.
 */
public final class JobSession {
    private JobSession() {}

    /** The session for {@code appName}; {@code confFiles} are local paths or Hadoop URIs. */
    public static SparkSession start(String appName, List<String> confFiles) {
        SparkConf existing = new SparkConf();   // spark-submit's settings and -Dspark.* properties
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        for (String file : confFiles) {
            Properties p = readLocal(file);
            if (p == null) {
                continue;   // a Hadoop URI: its pipeline keys are read by JobConfig
            }
            for (String name : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
                if (name.startsWith("spark.") && !name.startsWith(JobConfig.PREFIX)
                        && !existing.contains(name)) {
                    b.config(name, p.getProperty(name).trim());
                }
            }
        }
        b.config("spark.redaction.regex",
                JobConfig.redactionRegex(existing.get("spark.redaction.regex", null)));
        return b.getOrCreate();
    }

    private static Properties readLocal(String file) {
        if (file.contains("://")) {
            return null;
        }
        Path path = Path.of(file.startsWith("file:") ? file.substring("file:".length()) : file);
        Properties p = new Properties();
        try (Reader r = new InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --conf " + file + ": " + e.getMessage(), e);
        }
        return p;
    }
}
