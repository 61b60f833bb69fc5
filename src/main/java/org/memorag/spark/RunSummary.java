package org.memorag.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a job run did: counters, row counts by status and error code, wall time and throughput.
 * Written as {@code _run_summary.json} inside the output folder (Parquet readers skip files
 * starting with "_") and logged as a short table.
 */
public final class RunSummary {
    public static final String FILE = "_run_summary.json";

    private final Map<String, Object> fields = new LinkedHashMap<>();

    /** Starts a summary of {@code job}, begun at {@code startMs}, ended now. */
    public RunSummary(String job, String appId, String master, long startMs) {
        long end = System.currentTimeMillis();
        fields.put("job", job);
        fields.put("app_id", appId);
        fields.put("master", master);
        fields.put("started", Instant.ofEpochMilli(startMs).toString());
        fields.put("finished", Instant.ofEpochMilli(end).toString());
        fields.put("wall_s", round((end - startMs) / 1000.0));
    }

    /** Adds a field (a number, string, boolean or a map of them). */
    public RunSummary put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** Adds the counters and the throughput figures derived from them. */
    public RunSummary counters(Map<String, Long> totals) {
        fields.putAll(totals);
        double wall = Math.max(1e-3, ((Number) fields.get("wall_s")).doubleValue());
        long docs = totals.getOrDefault("documents", 0L);
        long questions = totals.getOrDefault("questions_answered", 0L);
        if (docs > 0) {
            fields.put("documents_per_hour", round(docs * 3600.0 / wall));
            fields.put("tokens_per_s", round(totals.getOrDefault("tokens_memorized", 0L) / wall));
        }
        if (questions > 0) {
            fields.put("questions_per_s", round(questions / wall));
        }
        return this;
    }

    public Map<String, Object> fields() {
        return fields;
    }

    /** The summary as a JSON object. */
    public String json() {
        return toJson(fields);
    }

    /** The log table: one "key | value" line per field. */
    public String table() {
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(4);
        StringBuilder sb = new StringBuilder("run summary\n");
        fields.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-" + width + "s | %s%n",
                k, v)));
        return sb.toString();
    }

    /** Writes {@link #FILE} into {@code outDir} (any Hadoop FileSystem URI). */
    public void writeTo(String outDir, Configuration hadoop) {
        Path path = new Path(outDir, FILE);
        try (OutputStream out = path.getFileSystem(hadoop).create(path, true)) {
            out.write(json().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run summary " + path + ": "
                    + e.getMessage(), e);
        }
    }

    /** Reads a summary back as raw JSON text (tests, benches). */
    public static String read(String outDir, Configuration hadoop) throws IOException {
        Path path = new Path(outDir, FILE);
        FileSystem fs = path.getFileSystem(hadoop);
        try (var in = fs.open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static String toJson(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(sb.length() == 1 ? "" : ",").append(quote(e.getKey().toString()))
                        .append(':').append(toJson(e.getValue()));
            }
            return sb.append('}').toString();
        }
        return quote(v.toString());
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
