package org.memorag.engine.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.model.Checkpoint;
import org.memorag.engine.model.CheckpointException;
import org.memorag.engine.reference.ReferenceBert;
import org.memorag.engine.tensor.Device;

/** BERT and XLM-R on the engine against the float64 ReferenceBert on tiny random checkpoints. */
@Timeout(120)
class BertEncoderTest {
    static final long[][] ROWS = {
        {101, 7592, 2088, 102},
        {101, 1996, 4937, 2938, 2006, 1996, 13523, 1012, 2045, 2003, 2053, 4937, 102},
        {101, 102},
        {101, 2023, 2003, 1037, 3231, 1997, 1996, 7861, 8270, 4667, 2944, 1012, 102},
    };

    /** |ours - ref| <= tol * max(1, |ref|), naming the worst (row, position, dim). */
    static void assertHiddenClose(double[][] ref, float[] ours, int row, int seqLen, int dim,
            double tol, String what) {
        for (int t = 0; t < ref.length; t++) {
            for (int d = 0; d < dim; d++) {
                double o = ours[(row * seqLen + t) * dim + d];
                double err = Math.abs(o - ref[t][d]) / Math.max(1, Math.abs(ref[t][d]));
                if (err > tol) {
                    throw new AssertionError(what + ": row " + row + " position " + t + " dim " + d
                            + ": " + o + " vs reference " + ref[t][d]);
                }
            }
        }
    }

    void hiddenStatesMatchReference(TinyBertCheckpoint tiny, Path dir) throws IOException {
        Path ckptDir = tiny.writeTo(dir);
        ReferenceBert ref = ReferenceBert.load(ckptDir);
        try (Checkpoint ckpt = Checkpoint.open(ckptDir);
                Bert bert = Bert.load(ckpt, BertConfig.from(ckpt.config(), ckpt.configFile()),
                        Device.cpu());
                NDManager scope = bert.newScope()) {
            NDArray x = bert.forward(scope, ROWS);  // one padded batch
            int t = (int) x.getShape().get(1);
            int dim = (int) x.getShape().get(2);
            float[] h = x.toFloatArray();
            for (int r = 0; r < ROWS.length; r++) {
                assertHiddenClose(ref.hidden(ROWS[r]), h, r, t, dim, 1e-4,
                        bert.config().modelType());
            }
        }
    }

    @Test
    void bertHiddenStatesMatchFloat64Reference(@TempDir Path dir) throws IOException {
        hiddenStatesMatchReference(TinyBertCheckpoint.bert().seed(3), dir);
    }

    @Test
    void xlmRobertaHiddenStatesMatchFloat64Reference(@TempDir Path dir) throws IOException {
        hiddenStatesMatchReference(TinyBertCheckpoint.xlmRoberta().seed(4), dir);
    }

    @Test
    void pooledVectorsMatchReferenceForClsAndMean(@TempDir Path dir) throws IOException {
        Path ckpt = TinyBertCheckpoint.bert().seed(5).writeTo(dir);
        ReferenceBert ref = ReferenceBert.load(ckpt);
        for (Pooling p : Pooling.values()) {
            try (BertEncoder e = BertEncoder.fromModelDir(ckpt, Device.cpu(),
                    EncoderOptions.defaults().withPooling(p))) {
                float[][] ours = e.pooled(ROWS);
                for (int r = 0; r < ROWS.length; r++) {
                    double[] expected = ref.pooled(ROWS[r], p == Pooling.CLS);
                    for (int d = 0; d < expected.length; d++) {
                        assertEquals(expected[d], ours[r][d], 1e-4, p + " row " + r + " dim " + d);
                    }
                }
            }
        }
    }

    @Test
    void batchedEqualsOneByOneAndTruncates(@TempDir Path dir) throws IOException {
        Path ckpt = TinyBertCheckpoint.bert().seed(6).writeTo(dir);
        List<String> texts = List.of("a short text", "", "The lighthouse at Cape Wrath was"
                + " built in 1828 by Robert Stevenson and automated in 1998.", "one two three");
        try (BertEncoder e = BertEncoder.fromModelDir(ckpt, Device.cpu(),
                EncoderOptions.defaults())) {
            assertEquals(32, e.dimension());
            assertEquals(64, e.maxPositions());
            float[][] batched = e.encode(texts, 64);
            for (int i = 0; i < texts.size(); i++) {
                float[] alone = e.encode(List.of(texts.get(i)), 64)[0];
                for (int d = 0; d < alone.length; d++) {
                    assertEquals(alone[d], batched[i][d], 1e-5, "text " + i + " dim " + d);
                }
            }
            assertEquals(0, e.encode(List.of(), 16).length);
            String words = "one two three four five six seven eight nine ten";
            float[] cut = e.encode(List.of(words), 6)[0];            // [CLS] one..four [SEP]
            float[] prefix = e.encode(List.of("one two three four"), 64)[0];
            for (int d = 0; d < cut.length; d++) {
                assertEquals(prefix[d], cut[d], 1e-5, "truncated dim " + d);
            }
            assertThrows(IllegalArgumentException.class, () -> e.encode(List.of("x"), 65));
        }
    }

    @Test
    void xlmRobertaInQueryBlocksMatchesReference(@TempDir Path dir)
            throws IOException {
        Path ckpt = TinyBertCheckpoint.xlmRoberta().seed(8).writeTo(dir);
        ReferenceBert ref = ReferenceBert.load(ckpt);
        long[] ids = new long[64];
        ids[0] = 101;
        for (int i = 1; i < 63; i++) {
            ids[i] = 1000 + 37L * i;
        }
        ids[63] = 102;
        try (Checkpoint c = Checkpoint.open(ckpt);
                Bert bert = Bert.load(c, BertConfig.from(c.config(), c.configFile()), Device.cpu());
                NDManager scope = bert.newScope()) {
            // 64 query rows in blocks of 24: three blocks, the last one short
            float[] h = bert.forward(scope, new long[][] {ids, {101, 102}}, 24).toFloatArray();
            assertHiddenClose(ref.hidden(ids), h, 0, 64, 32, 1e-4, "64 tokens, 3 query blocks");
            assertHiddenClose(ref.hidden(new long[] {101, 102}), h, 1, 64, 32, 1e-4,
                    "2 tokens padded to 64");
        }
    }

    @Test
    void misShapedTensorIsNamedWithTheFile(@TempDir Path dir) throws IOException {
        Path ckpt = TinyBertCheckpoint.bert().reshape("encoder.layer.1.attention.self.key.weight",
                32, 16).writeTo(dir);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> BertEncoder.fromModelDir(ckpt, Device.cpu(), EncoderOptions.defaults()));
        assertTrue(e.getMessage().contains("encoder.layer.1.attention.self.key.weight")
                && e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void unknownModelTypeIsNamed(@TempDir Path dir) throws IOException {
        Path ckpt = TinyBertCheckpoint.bert().writeTo(dir);
        Files.writeString(ckpt.resolve("config.json"), Files.readString(ckpt.resolve(
                "config.json")).replace("\"bert\"", "\"distilbert\""));
        EncoderException e = assertThrows(EncoderException.class,
                () -> BertEncoder.fromModelDir(ckpt, Device.cpu(), EncoderOptions.defaults()));
        assertTrue(e.getMessage().contains("distilbert") && e.getMessage().contains("config.json"),
                e.getMessage());
    }

    @Test
    void missingTokenizerIsNamed(@TempDir Path dir) throws IOException {
        Path ckpt = TinyBertCheckpoint.bert().writeTo(dir);
        Files.delete(ckpt.resolve("tokenizer.json"));
        EncoderException e = assertThrows(EncoderException.class,
                () -> BertEncoder.fromModelDir(ckpt, Device.cpu(), EncoderOptions.defaults()));
        assertTrue(e.getMessage().contains(ckpt.resolve("tokenizer.json").toString()),
                e.getMessage());
    }

    @Test
    void encodersPicksTheEngineForSafetensorsAndOnnxForTheEmbeddedModel(@TempDir Path dir)
            throws IOException {
        Path ckpt = TinyBertCheckpoint.bert().writeTo(dir.resolve("tiny"));
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "memorag-models");
        try (Encoder bert = Encoders.load(ckpt.toString(), Device.cpu(),
                EncoderOptions.defaults(), cache);
                Encoder bge = Encoders.load(Encoders.EMBEDDED, Device.cpu(),
                        EncoderOptions.defaults(), cache)) {
            assertTrue(bert instanceof BertEncoder && bert.dimension() == 32, bert.fingerprint());
            assertTrue(bge instanceof OnnxEncoder && bge.dimension() == 384, bge.fingerprint());
        }
        EncoderException e = assertThrows(EncoderException.class, () -> Encoders.load(
                dir.resolve("nope").toString(), Device.cpu(), EncoderOptions.defaults(), cache));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void referenceErfMatchesPython() {
        double[][] pythonErf = {{0.5, 0.5204998778130465}, {2.9, 0.9999589021219005},
            {3.0, 0.9999779095030014}, {3.5, 0.9999992569016276}, {-1.2, -0.9103139782296353},
            {5.0, 0.9999999999984626}, {0.01, 0.011283415555849616}};
        for (double[] p : pythonErf) {
            assertEquals(p[1], ReferenceBert.erf(p[0]), 1e-12, "erf(" + p[0] + ")");
        }
    }
}
