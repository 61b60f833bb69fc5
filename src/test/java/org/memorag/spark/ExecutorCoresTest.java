package org.memorag.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class ExecutorCoresTest {
    private static int cores(String master, String executorCores) {
        SparkConf c = new SparkConf(false).set("spark.master", master);
        if (executorCores != null) {
            c.set("spark.executor.cores", executorCores);
        }
        return ExecutorCores.of(c);
    }

    @Test
    void localMastersGiveTheirThreadCount() {
        assertEquals(1, cores("local", null));
        assertEquals(2, cores("local[2]", null));
        assertEquals(3, cores("local[3,4]", null));
        assertEquals(Runtime.getRuntime().availableProcessors(), cores("local[*]", null));
    }

    @Test
    void executorCoresWinAndClusterMastersDefaultToOne() {
        assertEquals(4, cores("spark://host:7077", "4"));
        assertEquals(1, cores("spark://host:7077", null));
        assertEquals(1, cores("yarn", null));
    }
}
