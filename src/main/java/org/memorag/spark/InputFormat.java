package org.memorag.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * How an input table is stored, found from the path's extension or, for a folder, from the
 * files in it: Parquet wins over JSON Lines, which wins over text files.
 */
public enum InputFormat {
    PARQUET, JSONL, TEXT_FILES;

    /**
     * Detects the format of {@code path}; a missing path or a folder without any readable file
     * fails with a message naming the path (a bad setup, not a bad row).
     */
    public static InputFormat detect(String path, Configuration hadoop) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            if (!fs.exists(p)) {
                throw new IllegalArgumentException("input " + path + " does not exist; check the"
                        + " path (file://, s3a://, hdfs:// or a local path)");
            }
            FileStatus status = fs.getFileStatus(p);
            if (status.isFile()) {
                InputFormat f = ofName(p.getName());
                if (f == null) {
                    throw new IllegalArgumentException("input " + path + " is neither .parquet,"
                            + " .jsonl/.json nor .txt; rename it or pass its folder");
                }
                return f;
            }
            boolean parquet = false;
            boolean json = false;
            boolean text = false;
            for (FileStatus s : fs.listStatus(p)) {
                String name = s.getPath().getName();
                if (name.startsWith("_") || name.startsWith(".")) {
                    continue;
                }
                InputFormat f = s.isFile() ? ofName(name) : null;
                parquet |= f == PARQUET;
                json |= f == JSONL;
                text |= f == TEXT_FILES;
            }
            if (parquet) {
                return PARQUET;
            }
            if (json) {
                return JSONL;
            }
            if (text) {
                return TEXT_FILES;
            }
            throw new IllegalArgumentException("input folder " + path + " holds no .parquet,"
                    + " .jsonl/.json or .txt file; point at the table's folder or file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list input " + path + ": " + e.getMessage(), e);
        }
    }

    /** The format a file name implies, or null. */
    static InputFormat ofName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".parquet")) {
            return PARQUET;
        }
        if (n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson")) {
            return JSONL;
        }
        if (n.endsWith(".txt")) {
            return TEXT_FILES;
        }
        return null;
    }
}
