package org.memorag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.generate.GenerationConfig;
import org.memorag.engine.model.DecoderLanguageModel;
import org.memorag.engine.model.Decoders;
import org.memorag.engine.reference.LogitAsserts;
import org.memorag.engine.reference.ReferenceDecoder;
import org.memorag.engine.tensor.Device;
import org.memorag.engine.tensor.SafetensorsFile;
import org.memorag.testing.TinyCheckpoint;
import picocli.CommandLine;

/** `memorag generate` in-process, output captured. */
class GenerateCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void write() throws IOException {
        model = TinyCheckpoint.qwen2().layers(2).seed(4).writeTo(dir.resolve("qwen2"));
    }

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void inputIdsGreedyPrintsTextIdsTimingAndDumpsLogits() throws IOException {
        Path dump = dir.resolve("logits.safetensors");
        Run r = run("generate", "--model", model.toString(), "--input-ids", "5,17,3,42",
                "--max-new-tokens", "5", "--greedy", "--dump-logits", dump.toString());
        assertEquals(0, r.code(), r.err());
        int[] expected;
        try (DecoderLanguageModel lm = Decoders.load(model, Device.cpu())) {
            expected = lm.generate(null, new int[] {5, 17, 3, 42}, GenerationConfig.greedy(5));
        }
        String[] lines = r.out().split("\n");
        assertEquals("ids: " + String.join(",", Arrays.stream(expected).mapToObj(String::valueOf)
                .toArray(String[]::new)), lines[lines.length - 1]);
        assertTrue(r.err().matches("(?s).*timing: prefill_tokens=4 prefill_ms=[0-9.]+ decode_tokens=\\d+"
                + " decode_ms=[0-9.]+\\s*"), r.err());
        try (SafetensorsFile f = SafetensorsFile.open(dump); NDManager m = NDManager.newBaseManager("PyTorch")) {
            var a = f.load(m, "logits", DataType.FLOAT32);
            assertEquals(new Shape(4, TinyCheckpoint.VOCAB), a.getShape());
            float[] flat = a.toFloatArray();
            float[][] rows = new float[4][];
            for (int t = 0; t < 4; t++) {
                rows[t] = Arrays.copyOfRange(flat, t * TinyCheckpoint.VOCAB,
                        (t + 1) * TinyCheckpoint.VOCAB);
            }
            double[][] ref = ReferenceDecoder.load(model).promptLogits(new int[] {5, 17, 3, 42});
            LogitAsserts.assertClose(ref, rows, 1e-4);
        }
    }

    @Test
    void promptTextIsTokenizedAndSamplingIsSeeded() {
        String[] args = {"generate", "--model", model.toString(), "--prompt", "w5 w17 w3",
                "--max-new-tokens", "6", "--temperature", "1.5", "--top-p", "0.9", "--seed", "7"};
        Run a = run(args);
        Run b = run(args);
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
        assertTrue(a.err().contains("prefill_tokens=3"), a.err());
    }

    @Test
    void chatRendersTheFoldersTemplate() {
        try (DecoderLanguageModel lm = Decoders.load(model, Device.cpu())) {
            assertEquals("<|im_start|>user\nw1 w2<|im_end|>\n<|im_start|>assistant\n",
                    lm.renderChat(java.util.List.of(
                            org.memorag.engine.tokenize.ChatMessage.user("w1 w2")), true));
        }
        Run r = run("generate", "--model", model.toString(), "--prompt", "w1 w2", "--chat",
                "--max-new-tokens", "2");
        assertEquals(0, r.code(), r.err());
        // <|im_start|> user w1 w2 <|im_end|> <|im_start|> assistant: 7 ids (WordLevel splits on
        // whitespace and the special tokens; "user"/"assistant" are <unk> in the tiny vocab)
        assertTrue(r.err().contains("prefill_tokens=7"), r.err());
    }

    @Test
    void badFlagsAreRejectedWithTheFlagName() {
        Run r = run("generate", "--model", model.toString(), "--input-ids", "1",
                "--max-new-tokens", "2", "--temperature", "1", "--top-p", "1.5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--top-p"), r.err());
        Run both = run("generate", "--model", model.toString(), "--input-ids", "1",
                "--prompt", "w1", "--max-new-tokens", "2");
        assertEquals(2, both.code());
    }

    @Test
    void missingModelFolderFailsWithItsPath() {
        Run r = run("generate", "--model", dir.resolve("absent").toString(), "--input-ids", "1",
                "--max-new-tokens", "1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("absent"), r.err());
    }
}
