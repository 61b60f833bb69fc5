package org.memorag.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.model.CheckpointException;
import org.memorag.rag.config.MemoragConfig;

/** BEACON_SPEC Q34: memory-model calls inherit the checkpoint's repetition_penalty. */
class MemoryRepetitionPenaltyTest {
    private static double penalty(String value, Path dir) {
        MemoragConfig.Builder b = MemoragConfig.builder();
        if (value != null) {
            b.set("memory.repetition_penalty", value);
        }
        return Pipeline.memoryRepetitionPenalty(b.build(), dir);
    }

    @Test
    void autoTakesTheCheckpointsValue(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("generation_config.json"),
                "{\"do_sample\": true, \"top_k\": 20, \"repetition_penalty\": 1.05}");
        assertEquals(1.05, penalty(null, dir), 0.0, "auto is the default");
        assertEquals(1.05, penalty("auto", dir), 0.0);
    }

    @Test
    void autoWithoutTheFileOrTheKeyIsOff(@TempDir Path dir) throws IOException {
        assertEquals(1.0, penalty("auto", dir), 0.0);
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": 2}");
        assertEquals(1.0, penalty("auto", dir), 0.0);
    }

    @Test
    void aConfiguredNumberWins(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("generation_config.json"), "{\"repetition_penalty\": 1.3}");
        assertEquals(1.0, penalty("1.0", dir), 0.0);
        assertEquals(1.2, penalty(" 1.2 ", dir), 0.0);
    }

    @Test
    void badValuesNameTheKeyOrTheFile(@TempDir Path dir) throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> penalty("strong", dir));
        assertTrue(e.getMessage().contains("memory.repetition_penalty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> penalty("0", dir));
        Files.writeString(dir.resolve("generation_config.json"), "{\"repetition_penalty\": \"x\"}");
        CheckpointException c = assertThrows(CheckpointException.class,
                () -> penalty("auto", dir));
        assertTrue(c.getMessage().contains("generation_config.json"), c.getMessage());
    }
}
