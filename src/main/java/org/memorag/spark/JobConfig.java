package org.memorag.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import scala.Tuple2;

/**
 * The pipeline settings of a job, gathered from (later wins) properties files ({@code --conf FILE}:
 * plain keys like conf/memorag.properties, or {@code spark.memorag.<key>} lines) and the Spark
 * configuration ({@code --conf spark.memorag.<key>=...}). Every key must be a pipeline key: an
 * unknown {@code spark.memorag.*} key fails fast on the driver and names the nearest known one.
 * Secrets are never values here: keys name environment variables or Hadoop credential aliases.
 *
 * @param settings pipeline key (without the spark.memorag. prefix) to value, sorted by key
 */
public record JobConfig(Map<String, String> settings) implements Serializable {
    /** Prefix of pipeline keys in the Spark configuration. */
    public static final String PREFIX = "spark.memorag.";

    /**
     * What Spark redacts in its UI, event logs and environment pages: Spark's default list plus
     * credentials, API keys and S3A keys.
     */
    public static final String REDACTION_REGEX = "(?i)secret|password|token|access[.]?key"
            + "|credential|api[._-]?key|authorization|fs[.]s3a[.].*[.]key|jceks";

    public JobConfig {
        settings = Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    /**
     * Builds the job's settings. {@code sparkConf} holds the Spark configuration's entries,
     * {@code files} the properties files in the order given, {@code knownKeys} the pipeline's keys.
     */
    public static JobConfig from(Tuple2<String, String>[] sparkConf, List<String> files,
            Configuration hadoop, Collection<String> knownKeys) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String file : files) {
            Properties p = load(file, hadoop);
            for (String name : new TreeMap<>(toMap(p)).keySet()) {
                String key = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
                if (name.startsWith("spark.") && !name.startsWith(PREFIX)) {
                    continue;  // a Spark setting: spark-submit --properties-file applies it
                }
                check(key, name + " in " + file, knownKeys);
                out.put(key, p.getProperty(name).trim());
            }
        }
        for (Tuple2<String, String> e : sparkConf) {
            if (e._1().startsWith(PREFIX)) {
                String key = e._1().substring(PREFIX.length());
                check(key, e._1(), knownKeys);
                out.put(key, e._2().trim());
            }
        }
        return new JobConfig(out);
    }

    /** These settings plus {@code key=value} unless the key is set already. */
    public JobConfig withDefault(String key, String value) {
        if (settings.containsKey(key)) {
            return this;
        }
        Map<String, String> out = new TreeMap<>(settings);
        out.put(key, value);
        return new JobConfig(out);
    }

    /** The redaction regex to set: ours, or theirs combined with ours. */
    public static String redactionRegex(String existing) {
        if (existing == null || existing.isBlank() || existing.equals(REDACTION_REGEX)) {
            return REDACTION_REGEX;
        }
        return "(?:" + existing + ")|(?:" + REDACTION_REGEX + ")";
    }

    /**
     * A secret by name: the environment variable first, then a Hadoop credential provider
     * ({@code hadoop.security.credential.provider.path}); null when neither has it.
     */
    public static String secret(String name, Configuration hadoop) {
        String env = System.getenv(name);
        if (env != null && !env.isEmpty()) {
            return env;
        }
        try {
            char[] password = hadoop.getPassword(name);
            return password == null ? null : new String(password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read credential '" + name + "' from the Hadoop"
                    + " credential providers: " + e.getMessage(), e);
        }
    }

    /** A stable digest of the settings: part of the executor model cache's key. */
    public String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            settings.forEach((k, v) -> sha.update((k + "=" + v + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    private static void check(String key, String where, Collection<String> knownKeys) {
        if (!knownKeys.contains(key)) {
            String near = nearest(key, knownKeys);
            throw new IllegalArgumentException("unknown setting " + where + ": '" + key
                    + "' is not a pipeline key" + (near == null ? "" : "; did you mean '"
                    + PREFIX + near + "'?") + " (conf/memorag.properties lists every key)");
        }
    }

    /** The known key closest to {@code key} by edit distance, or null when none is close. */
    static String nearest(String key, Collection<String> knownKeys) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : knownKeys) {
            int d = distance(key, k);
            if (d < bestDistance || (d == bestDistance && k.compareTo(best) < 0)) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Properties load(String file, Configuration hadoop) {
        Path path = new Path(file);
        Properties p = new Properties();
        try (InputStream in = path.getFileSystem(hadoop).open(path)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --conf " + file + ": " + e.getMessage(), e);
        }
        return p;
    }

    private static Map<String, String> toMap(Properties p) {
        Map<String, String> m = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            m.put(name, p.getProperty(name));
        }
        return m;
    }
}
