package org.memorag.engine.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.testing.TinyCheckpoint;
import org.memorag.testing.TinyTokenizer;

/** DJL's tokenizer with our explicit options over the tiny tokenizer.json. */
class HfTokenizerTest {
    @Test
    void encodesWithoutSpecialTokensAndDecodesSkippingThem(@TempDir Path dir) throws IOException {
        TinyTokenizer.write(dir);
        try (HfTokenizer t = HfTokenizer.load(dir)) {
            assertArrayEquals(new int[] {3, 17, 95, 0}, t.encode("w3 w17 w95 unknown"));
            assertArrayEquals(new int[] {TinyCheckpoint.IM_START, 5, TinyCheckpoint.IM_END},
                    t.encode("<|im_start|>w5<|im_end|>"));
            assertEquals("w3 w17",
                    t.decode(new int[] {TinyCheckpoint.IM_START, 3, 17, TinyCheckpoint.IM_END}));
            assertTrue(t.specialIds().contains(TinyCheckpoint.ENDOFTEXT));
            assertEquals(TinyCheckpoint.IM_END, t.specialTokenId("eos_token").getAsInt());
            assertTrue(t.specialTokenId("bos_token").isEmpty());
            assertEquals(TinyTokenizer.CHATML, t.chatTemplate().orElseThrow());
        }
    }

    @Test
    void longInputsAreNotTruncated(@TempDir Path dir) throws IOException {
        TinyTokenizer.write(dir);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            b.append("w").append(1 + i % 95).append(' ');
        }
        try (HfTokenizer t = HfTokenizer.load(dir)) {
            assertEquals(3000, t.encode(b.toString()).length);
        }
    }
}
