package org.memorag.engine.beacon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.generate.GenerationConfig;
import org.memorag.engine.reference.ReferenceBeacon;
import org.memorag.engine.tensor.Device;
import org.memorag.testing.TinyBeaconCheckpoint;

/** Memorize, export, import, ask (T10, T11, T12) and generation over the memory (§2.12). */
class BeaconMemoryTest {
    @TempDir
    Path tmp;

    private static final Set<Integer> NO_EOS = Set.of();

    static byte[] bytesOf(BeaconMemory m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    static BeaconDecoder.Generation ask(BeaconDecoder d, BeaconMemory m, int[] q, int n) {
        return d.generate(m, q, GenerationConfig.greedy(n), NO_EOS, ids -> "", true);
    }

    @Test
    void exportImportGenerateEqualsUninterrupted() throws IOException {
        Path dir = TinyBeaconCheckpoint.qwen2().window(8).ratios(2).seed(11)
                .writeTo(tmp.resolve("m"));
        int[] context = BeaconDecoderTest.ids(35, 1);     // ends inside a window: open slots
        int[] question = BeaconDecoderTest.ids(6, 2);     // crosses the window boundary
        try (BeaconDecoder d = BeaconCheckpoint.load(dir, Device.cpu(), null);
                BeaconMemory m = d.memorize(context, d.config(), null, 0)) {
            assertTrue(m.openSlots() > 0 && m.memorySlots() > 0, m.metadata().toString());
            byte[] file = bytesOf(m);
            try (BeaconMemory back = d.readMemory(file)) {
                assertEquals(m.metadata(), back.metadata());
                assertArrayEquals(file, bytesOf(back), "re-export is byte-identical");
                BeaconDecoder.Generation a = ask(d, m, question, 12);
                BeaconDecoder.Generation b = ask(d, back, question, 12);
                assertArrayEquals(a.ids(), b.ids());
                for (int i = 0; i < question.length; i++) {
                    assertArrayEquals(a.promptLogits()[i], b.promptLogits()[i], "row " + i);
                }
                // uninterrupted: context and question streamed as one sequence
                int[] all = new int[context.length + question.length];
                System.arraycopy(context, 0, all, 0, context.length);
                System.arraycopy(question, 0, all, context.length, question.length);
                BeaconDecoder.Generation c = d.generate(null, all, GenerationConfig.greedy(12),
                        NO_EOS, ids -> "", true);
                assertArrayEquals(c.ids(), a.ids(), "same greedy tokens");
                for (int i = 0; i < question.length; i++) {
                    float[] x = a.promptLogits()[i];
                    float[] y = c.promptLogits()[context.length + i];
                    for (int j = 0; j < x.length; j++) {
                        assertEquals(y[j], x[j], 1e-4, "question row " + i + " token " + j);
                    }
                }
            }
        }
    }

    @Test
    void questionsDoNotChangeTheMemory() throws IOException {
        Path dir = TinyBeaconCheckpoint.mistral().window(8).ratios(4).seed(12)
                .writeTo(tmp.resolve("q"));
        try (BeaconDecoder d = BeaconCheckpoint.load(dir, Device.cpu(), null);
                BeaconMemory m = d.memorize(BeaconDecoderTest.ids(21, 3), d.config(), null, 0)) {
            byte[] before = bytesOf(m);
            int[] q1 = BeaconDecoderTest.ids(5, 4);
            int[] first = ask(d, m, q1, 20).ids();        // long answer: closes windows
            ask(d, m, BeaconDecoderTest.ids(13, 5), 9);
            assertArrayEquals(first, ask(d, m, q1, 20).ids());
            assertArrayEquals(before, bytesOf(m), "memory bytes unchanged");
        }
    }

    @Test
    void generatedTokensFollowTheReferenceThroughWindowCloses() throws IOException {
        TinyBeaconCheckpoint t = TinyBeaconCheckpoint.qwen2().window(8).ratios(2).seed(13);
        Path dir = t.writeTo(tmp.resolve("g"));
        ReferenceBeacon ref = ReferenceBeacon.load(dir);
        // 13: the question continues an open window; 16: the memory ends on a window boundary
        // and the question opens a new window (§2.12)
        for (int contextLength : new int[] {13, 16}) {
            int[] context = BeaconDecoderTest.ids(contextLength, 6);
            int[] question = BeaconDecoderTest.ids(3, 7);
            try (BeaconDecoder d = BeaconCheckpoint.load(dir, Device.cpu(), null);
                    BeaconMemory m = d.memorize(context, d.config(), null, 0)) {
                assertEquals(contextLength == 16, m.openSlots() == 0);
                int[] out = ask(d, m, question, 16).ids();
                ReferenceBeacon.State s = ref.newState();
                ref.feed(s, context);
                double[][] rows = ref.feed(s, question);
                double[] logits = rows[rows.length - 1];
                for (int i = 0; i < out.length; i++) {
                    int best = 0;
                    for (int j = 1; j < logits.length; j++) {
                        best = logits[j] > logits[best] ? j : best;
                    }
                    assertEquals(best, out[i], "context " + contextLength + " token " + i);
                    logits = ref.feed(s, new int[] {out[i]})[0];
                }
            }
        }
    }

    @Test
    void fileHoldsExactlyTheSlotsAndRoundTripsTheCursors() throws IOException {
        Path dir = TinyBeaconCheckpoint.qwen2().layers(3).window(16).ratios(4).seed(14)
                .writeTo(tmp.resolve("f"));
        try (BeaconDecoder d = BeaconCheckpoint.load(dir, Device.cpu(), null);
                BeaconMemory m = d.memorize(BeaconDecoderTest.ids(16 * 3 + 9, 8), d.config(),
                        null, 0)) {
            int slots = 3 * 16 / 4 + 9 + 9 / 4;
            assertEquals(slots, m.slots());
            long slotBytes = 3L * 2 * 2 * 8 * 4;        // L * 2 * Hkv * D * fp32
            assertEquals(slots * slotBytes, m.bytes());
            byte[] file = bytesOf(m);
            long header = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            long data = file.length - 8 - header;
            long openKeysRotated = m.openSlots() * slotBytes / 2;
            assertEquals(m.bytes() + openKeysRotated + m.openSlots(), data,
                    "K/V of every slot + rotated open keys + one flag per open slot");
            Map<String, String> meta = m.metadata();
            assertEquals("beacon", meta.get("mode"));
            assertEquals("[4]", meta.get("beacon_ratio"));
            assertEquals(String.valueOf(16 * 3 + 9), meta.get("tokens"));
            assertEquals("F32", meta.get("dtype"));
            assertEquals(d.fingerprint(), meta.get("model"));
            try (BeaconMemory back = d.readMemory(file)) {
                assertEquals(meta, back.metadata());
            }
        }
    }

    @Test
    void aMemoryOfAnotherModelOrSettingIsRejected() throws IOException {
        Path a = TinyBeaconCheckpoint.qwen2().window(8).ratios(2).seed(1).writeTo(tmp.resolve("a"));
        Path b = TinyBeaconCheckpoint.qwen2().window(16).ratios(2).seed(1)
                .writeTo(tmp.resolve("b"));
        byte[] file;
        try (BeaconDecoder d = BeaconCheckpoint.load(a, Device.cpu(), null);
                BeaconMemory m = d.memorize(BeaconDecoderTest.ids(11, 1), d.config(), null, 0)) {
            file = bytesOf(m);
        }
        try (BeaconDecoder d = BeaconCheckpoint.load(b, Device.cpu(), null)) {
            IOException e = assertThrows(IOException.class, () -> d.readMemory(file));
            assertTrue(e.getMessage().contains("model is"), e.getMessage());
        }
        try (BeaconDecoder d = BeaconCheckpoint.load(a, Device.cpu(), 4)) {
            try (BeaconMemory back = d.readMemory(file)) {
                assertEquals("[2]", back.metadata().get("beacon_ratio"),
                        "a memory keeps the ratio it was made with");
            }
        }
    }
}
