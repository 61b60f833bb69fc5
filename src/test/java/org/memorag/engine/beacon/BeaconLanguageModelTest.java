package org.memorag.engine.beacon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.generate.GenerationConfig;
import org.memorag.engine.model.Decoders;
import org.memorag.engine.model.DecoderLanguageModel;
import org.memorag.engine.model.ModelMemory;
import org.memorag.engine.tensor.Device;
import org.memorag.testing.TinyBeaconCheckpoint;

/** The beacon checkpoint as a LanguageModel: ratio default/override, budget escalation, I/O. */
class BeaconLanguageModelTest {
    @TempDir
    Path tmp;

    @Test
    void memorizeUsesMemoragsRatioUnlessOverridden() throws IOException {
        Path dir = TinyBeaconCheckpoint.qwen2().window(16).ratios(2, 4, 8).withTokenizer()
                .writeTo(tmp.resolve("m"));
        int[] ids = BeaconDecoderTest.ids(40, 1);
        try (BeaconLanguageModel lm = BeaconLanguageModel.load(dir, Device.cpu(), null, 0);
                ModelMemory m = lm.memorize(ids)) {
            assertEquals("beacon", m.kind());
            assertEquals("4", m.metadata().get("beacon_ratio_used"));
            assertEquals(BeaconMath.slots(40, 16, 4, BeaconPos.INTERLEAVE), m.slots());
            assertEquals(40, m.inputTokens());
        }
        try (BeaconLanguageModel lm = BeaconLanguageModel.load(dir, Device.cpu(), 8, 0);
                ModelMemory m = lm.memorize(ids)) {
            assertEquals("8", m.metadata().get("beacon_ratio_used"));
        }
    }

    @Test
    void aDocumentOverTheBudgetGetsALargerRatioRecordedInTheMetadata() throws IOException {
        Path dir = TinyBeaconCheckpoint.qwen2().window(16).ratios(4).withTokenizer()
                .writeTo(tmp.resolve("b"));
        int[] ids = BeaconDecoderTest.ids(160, 2);
        long slotBytes = 2L * 2 * 2 * 8 * 4;
        long atFour = BeaconMath.slots(160, 16, 4, BeaconPos.INTERLEAVE) * slotBytes;
        try (BeaconLanguageModel lm = BeaconLanguageModel.load(dir, Device.cpu(), 4, atFour - 1);
                ModelMemory m = lm.memorize(ids)) {
            assertEquals("8", m.metadata().get("beacon_ratio_used"));
            assertEquals("true", m.metadata().get("beacon_ratio_escalated"));
            assertEquals("4", m.metadata().get("beacon_ratio_configured"));
            assertTrue(m.bytes() <= atFour - 1, m.bytes() + " bytes");
        }
    }

    @Test
    void readMemoryAnswersLikeTheFreshOne() throws IOException {
        Path dir = TinyBeaconCheckpoint.mistral().window(8).ratios(2).withTokenizer()
                .writeTo(tmp.resolve("r"));
        try (BeaconLanguageModel lm = BeaconLanguageModel.load(dir, Device.cpu(), 2, 0);
                ModelMemory m = lm.memorize(BeaconDecoderTest.ids(27, 3))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(out);
            int[] q = lm.tokenize("w5 w7 w9");
            assertArrayEquals(new int[] {5, 7, 9}, q);
            try (ModelMemory back = lm.readMemory(new ByteArrayInputStream(out.toByteArray()))) {
                GenerationConfig g = GenerationConfig.greedy(10);
                assertArrayEquals(lm.generate(m, q, g), lm.generate(back, q, g));
            }
        }
    }

    @Test
    void aPlainMemoryIsRejected() throws IOException {
        Path dir = TinyBeaconCheckpoint.qwen2().window(8).ratios(2).withTokenizer()
                .writeTo(tmp.resolve("p"));
        Path plainDir = org.memorag.testing.TinyCheckpoint.qwen2().writeTo(tmp.resolve("plain"));
        try (BeaconLanguageModel lm = BeaconLanguageModel.load(dir, Device.cpu(), 2, 0);
                DecoderLanguageModel plain = Decoders.load(plainDir, Device.cpu());
                ModelMemory kv = plain.memorize(new int[] {4, 5, 6})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> lm.generate(kv, new int[] {7}, GenerationConfig.greedy(2)));
            assertTrue(e.getMessage().contains("\"kv\""), e.getMessage());
        }
    }
}
