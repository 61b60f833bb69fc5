package org.memorag.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * The cores of one executor, as the driver can know them: {@code spark.executor.cores} when set,
 * N of a {@code local[N]} master (the driver JVM is the executor), else 1 (a cluster manager
 * that hands each executor "all the worker's cores" does not say how many on the driver). It
 * sizes the core budget the tasks of an executor share for embedding.
 */
final class ExecutorCores {
    private static final Pattern LOCAL = Pattern.compile("local(?:-cluster)?\\[(\\*|\\d+)(?:,\\d+)?]");

    private ExecutorCores() {}

    static int of(SparkConf conf) {
        if (conf.contains("spark.executor.cores")) {
            return Math.max(1, conf.getInt("spark.executor.cores", 1));
        }
        String master = conf.get("spark.master", "");
        if (master.equals("local")) {
            return 1;
        }
        Matcher m = LOCAL.matcher(master);
        if (m.matches() && master.startsWith("local[")) {
            return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
                    : Math.max(1, Integer.parseInt(m.group(1)));
        }
        return 1;
    }
}
