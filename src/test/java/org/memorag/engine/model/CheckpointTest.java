package org.memorag.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.testing.TinyCheckpoint;

/** The model fingerprint: stable for the same files, different for other weights or config. */
class CheckpointTest {
    static String fingerprint(Path dir) {
        try (Checkpoint c = Checkpoint.open(dir)) {
            return c.fingerprint();
        }
    }

    @Test
    void fingerprintIsStableAndSeesWeightsAndConfig(@TempDir Path dir) throws IOException {
        String a = fingerprint(TinyCheckpoint.qwen2().seed(1).writeTo(dir.resolve("a")));
        assertEquals(a, fingerprint(TinyCheckpoint.qwen2().seed(1).writeTo(dir.resolve("a2"))));
        assertTrue(a.matches("[0-9a-f]{16}"), a);
        assertNotEquals(a, fingerprint(TinyCheckpoint.qwen2().seed(2).writeTo(dir.resolve("b"))),
                "a fine-tune (same shapes, other weights) must not share the fingerprint");
        assertNotEquals(a, fingerprint(TinyCheckpoint.qwen2().seed(1).ropeTheta(5e5)
                .writeTo(dir.resolve("c"))));
    }
}
