package org.memorag.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.memorag.rag.config.MemoragConfig;

class EmbedderParallelismTest {
    private static int resolve(String... kv) {
        MemoragConfig.Builder b = MemoragConfig.builder();
        for (int i = 0; i < kv.length; i += 2) {
            b.set(kv[i], kv[i + 1]);
        }
        return Pipeline.embedderParallelism(b.build());
    }

    @Test
    void automaticIsOnePerCoreWhenTheJvmOwnsTheMachine() {
        assertEquals(Runtime.getRuntime().availableProcessors(), resolve());
    }

    @Test
    void automaticIsOneWhenThreadsArePinnedLikeInASparkTask() {
        assertEquals(1, resolve("threads", "1"));
        assertEquals(1, resolve("threads", "4"));
    }

    @Test
    void configuredValueWins() {
        assertEquals(3, resolve("embedder.parallelism", "3", "threads", "1"));
    }

    @Test
    void negativeValueNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolve("embedder.parallelism", "-1"));
        assertTrue(e.getMessage().contains("embedder.parallelism"), e.getMessage());
    }
}
