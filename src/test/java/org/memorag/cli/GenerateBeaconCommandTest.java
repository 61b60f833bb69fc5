package org.memorag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.beacon.BeaconLanguageModel;
import org.memorag.engine.generate.GenerationConfig;
import org.memorag.engine.tensor.Device;
import org.memorag.engine.tensor.SafetensorsFile;
import org.memorag.testing.TinyBeaconCheckpoint;
import org.memorag.testing.TinyCheckpoint;

/** `memorag generate` on a beacon checkpoint: the prompt goes through the beacon windows. */
class GenerateBeaconCommandTest {
    @TempDir
    static Path dir;
    static Path beacon;
    /** 29 ids: three full windows of 8 and a partial one, so compression really happens. */
    static final int[] PROMPT = java.util.stream.IntStream.range(0, 29).map(i -> 3 + (i * 7) % 90)
            .toArray();

    @BeforeAll
    static void write() throws IOException {
        beacon = TinyBeaconCheckpoint.qwen2().withTokenizer().seed(9).writeTo(dir.resolve("b"));
    }

    static String ids(int[] ids) {
        return Arrays.stream(ids).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }

    static String idsLine(String out) {
        String[] lines = out.split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void beaconRatioOverrideMatchesTheApiAndDumpsEveryRawTokensLogits() throws IOException {
        Path dump = dir.resolve("beacon-logits.safetensors");
        GenerateCommandTest.Run r = GenerateCommandTest.run("generate", "--model",
                beacon.toString(), "--input-ids", ids(PROMPT), "--max-new-tokens", "6",
                "--greedy", "--beacon-ratio", "2", "--dump-logits", dump.toString());
        assertEquals(0, r.code(), r.err());
        int[] expected;
        try (BeaconLanguageModel lm = BeaconLanguageModel.load(beacon, Device.cpu(), 2, 0)) {
            expected = lm.generate(null, PROMPT, GenerationConfig.greedy(6));
        }
        assertEquals("ids: " + ids(expected), idsLine(r.out()));
        assertTrue(r.err().contains("timing: prefill_tokens=" + PROMPT.length), r.err());
        try (SafetensorsFile f = SafetensorsFile.open(dump);
                NDManager m = NDManager.newBaseManager("PyTorch")) {
            assertEquals(new Shape(PROMPT.length, TinyCheckpoint.VOCAB),
                    f.load(m, "logits", DataType.FLOAT32).getShape());
        }
    }

    @Test
    void theRatioChangesWhatTheModelSees() {
        String[] base = {"generate", "--model", beacon.toString(), "--input-ids", ids(PROMPT),
            "--max-new-tokens", "1", "--greedy", "--dump-logits"};
        GenerateCommandTest.Run none = GenerateCommandTest.run(concat(base,
                dir.resolve("r0.safetensors").toString(), "--beacon-ratio", "0"));
        GenerateCommandTest.Run two = GenerateCommandTest.run(concat(base,
                dir.resolve("r2.safetensors").toString(), "--beacon-ratio", "2"));
        assertEquals(0, none.code(), none.err());
        assertEquals(0, two.code(), two.err());
        float[] lastNone = lastRow(dir.resolve("r0.safetensors"));
        float[] lastTwo = lastRow(dir.resolve("r2.safetensors"));
        assertNotEquals(Arrays.toString(lastNone), Arrays.toString(lastTwo),
                "ratio 2 compresses earlier windows, so the last token's logits must differ");
    }

    @Test
    void beaconRatioOnAPlainDecoderIsAUsageError() throws IOException {
        Path plain = TinyCheckpoint.qwen2().writeTo(dir.resolve("plain"));
        GenerateCommandTest.Run r = GenerateCommandTest.run("generate", "--model",
                plain.toString(), "--input-ids", "5,6", "--max-new-tokens", "1", "--greedy",
                "--beacon-ratio", "4");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--beacon-ratio needs a beacon checkpoint"), r.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static float[] lastRow(Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file);
                NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] flat = f.load(m, "logits", DataType.FLOAT32).toFloatArray();
            return Arrays.copyOfRange(flat, flat.length - TinyCheckpoint.VOCAB, flat.length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
