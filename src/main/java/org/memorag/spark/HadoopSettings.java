package org.memorag.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration (with every {@code spark.hadoop.*} setting, e.g. S3A's), as
 * a serializable value for executors, which rebuild a {@link Configuration} from it to open the
 * artifact store.
 */
public record HadoopSettings(Map<String, String> entries) implements Serializable {
    public HadoopSettings {
        entries = Map.copyOf(entries);
    }

    /** A snapshot of {@code conf}. */
    public static HadoopSettings of(Configuration conf) {
        Map<String, String> m = new TreeMap<>();
        for (Map.Entry<String, String> e : conf) {
            m.put(e.getKey(), e.getValue());
        }
        return new HadoopSettings(m);
    }

    /** A Configuration holding exactly these entries. */
    public Configuration toConfiguration() {
        Configuration c = new Configuration(false);
        entries.forEach(c::set);
        return c;
    }

    @Override
    public String toString() {
        return "HadoopSettings(" + entries.size() + " entries)";  // never print values: secrets
    }
}
