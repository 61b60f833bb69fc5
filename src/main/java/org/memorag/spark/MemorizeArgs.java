package org.memorag.spark;

import java.util.List;
import java.util.Set;

/**
 * The MemorizeJob's arguments.
 *
 * @param corpus the corpus table (Parquet, JSON Lines, or a folder of .txt files)
 * @param store the artifact store URI (file://, s3a://, hdfs://...)
 * @param out where the manifest Parquet goes; default {@code <store>/manifest}
 * @param confFiles properties files with pipeline keys, in order (later wins)
 * @param partitions how many tasks share the documents; null = Spark's default parallelism
 */
public record MemorizeArgs(String corpus, String store, String out, List<String> confFiles,
        Integer partitions) {
    public static final String USAGE = "usage: MemorizeJob --corpus PATH --store URI"
            + " [--out MANIFEST_DIR] [--conf FILE]... [--partitions N]";

    public MemorizeArgs {
        confFiles = List.copyOf(confFiles);
    }

    public static MemorizeArgs parse(String[] args) {
        Flags f = Flags.parse("MemorizeJob", args,
                Set.of("corpus", "store", "out", "conf", "partitions"), USAGE);
        String store = stripSlash(f.required("store", USAGE));
        return new MemorizeArgs(f.required("corpus", USAGE), store,
                f.optional("out", defaultManifest(store)), f.all("conf"), f.positiveInt("partitions"));
    }

    /** Where the manifest of a store lives unless --out says otherwise. */
    public static String defaultManifest(String store) {
        return stripSlash(store) + "/manifest";
    }

    static String stripSlash(String uri) {
        String s = uri;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
