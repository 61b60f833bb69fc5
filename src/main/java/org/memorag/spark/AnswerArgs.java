package org.memorag.spark;

import java.util.List;
import java.util.Set;

/**
 * The AnswerJob's arguments.
 *
 * @param questions the question table (Parquet or JSON Lines)
 * @param store the artifact store URI the documents were memorized into
 * @param out where the answers Parquet goes
 * @param manifest the MemorizeJob's manifest; default {@code <store>/manifest}
 * @param task the task type for rows without task_type (memorag, qa, summarize, rag)
 * @param confFiles properties files with pipeline keys, in order (later wins)
 * @param partitions how many tasks share the documents; null = Spark's default parallelism
 */
public record AnswerArgs(String questions, String store, String out, String manifest,
        String task, List<String> confFiles, Integer partitions) {
    public static final String USAGE = "usage: AnswerJob --questions PATH --store URI --out DIR"
            + " [--manifest DIR] [--task memorag|qa|summarize|rag] [--conf FILE]..."
            + " [--partitions N]";

    public AnswerArgs {
        confFiles = List.copyOf(confFiles);
        if (!Validation.TASK_TYPES.contains(task)) {
            throw new IllegalArgumentException("AnswerJob: --task " + task + " is not a task type;"
                    + " use one of " + String.join(", ", Validation.TASK_TYPES));
        }
    }

    public static AnswerArgs parse(String[] args) {
        Flags f = Flags.parse("AnswerJob", args, Set.of("questions", "store", "out", "manifest",
                "task", "conf", "partitions"), USAGE);
        String store = MemorizeArgs.stripSlash(f.required("store", USAGE));
        return new AnswerArgs(f.required("questions", USAGE), store, f.required("out", USAGE),
                f.optional("manifest", MemorizeArgs.defaultManifest(store)),
                f.optional("task", Validation.TASK_TYPES.get(0)), f.all("conf"),
                f.positiveInt("partitions"));
    }
}
