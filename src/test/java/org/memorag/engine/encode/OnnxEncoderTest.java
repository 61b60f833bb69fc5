package org.memorag.engine.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real BGE-small-en-v1.5 (quantized ONNX from the langchain4j jar) through OnnxEncoder. */
@Timeout(120)
class OnnxEncoderTest {
    static OnnxEncoder bge;

    @BeforeAll
    static void load() {
        bge = BgeSmallEnV15.load(cacheDir(), EncoderOptions.defaults());
    }

    @AfterAll
    static void close() {
        bge.close();
    }

    static Path cacheDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "memorag-models");
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static void assertClose(float[][] expected, float[][] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": number of vectors");
        for (int i = 0; i < expected.length; i++) {
            for (int d = 0; d < expected[i].length; d++) {
                double diff = Math.abs(expected[i][d] - actual[i][d]);
                if (diff > tol) {
                    throw new AssertionError(what + ": text " + i + " dim " + d + " differs by "
                            + diff + " (" + expected[i][d] + " vs " + actual[i][d] + ")");
                }
            }
        }
    }

    static final List<String> TEXTS = List.of(
            "The cat sat on the mat.",
            "Photosynthesis converts light energy into chemical energy stored in glucose.",
            "Stock markets fell sharply after the central bank raised interest rates.",
            "A short one.",
            "The Treaty of Westphalia, signed in 1648, ended the Thirty Years' War and laid the"
                    + " foundations of the modern system of sovereign states in Europe.",
            "How do I bake sourdough bread at home?",
            "",
            "量子计算机利用量子比特进行计算。");

    @Test
    void relatedSentencesScoreHigherThanUnrelatedOnes() {
        String[][] triples = {
            {"How do plants make food from sunlight?", TEXTS.get(1), TEXTS.get(2)},
            {"Why did share prices drop?", TEXTS.get(2), TEXTS.get(5)},
            {"Which war ended in 1648?", TEXTS.get(4), TEXTS.get(0)},
            {"Recipe for homemade bread", TEXTS.get(5), TEXTS.get(1)},
            {"A kitten is resting on a rug.", TEXTS.get(0), TEXTS.get(2)},
        };
        for (String[] t : triples) {
            float[][] v = bge.encode(List.of(t[0], t[1], t[2]), 512);
            double related = dot(v[0], v[1]);
            double unrelated = dot(v[0], v[2]);
            assertTrue(related > unrelated + 0.1, "'" + t[0] + "': related " + related
                    + " vs unrelated " + unrelated);
        }
    }

    @Test
    void embeddingsAreUnitLengthWith384Dimensions() {
        assertEquals(384, bge.dimension());
        float[][] v = bge.encode(TEXTS, 512);
        for (int i = 0; i < v.length; i++) {
            assertEquals(384, v[i].length, "text " + i);
            assertEquals(1.0, Math.sqrt(dot(v[i], v[i])), 1e-5, "norm of text " + i);
        }
    }

    static float[][] oneByOne(Encoder encoder, List<String> texts) {
        float[][] single = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            single[i] = encoder.encode(List.of(texts.get(i)), 512)[0];
        }
        return single;
    }

    /**
     * This model is int8 with dynamic quantization: each MatMulInteger's input scale is the
     * min/max over the whole batch tensor, so rows of a batch nudge each other: measured
     * cos(batched, alone) 0.995-0.997, max |diff| ~1.5e-2 per component, even for a partner of
     * the same length (an identical partner changes nothing). Batching is therefore checked by
     * cosine here; exact equality is checked with batch size 1.
     */
    @Test
    void batchedAgreesWithOneByOneUpToQuantizationNoise() {
        float[][] batched = bge.encode(TEXTS, 512);
        float[][] single = oneByOne(bge, TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            double cos = dot(single[i], batched[i]);
            assertTrue(cos > 0.99, "text " + i + ": cos(batched, alone) = " + cos);
        }
    }

    @Test
    void batchSizeOneEqualsOneByOneExactly() {
        try (OnnxEncoder exact = BgeSmallEnV15.load(cacheDir(),
                EncoderOptions.defaults().withBatchSize(1))) {
            assertClose(oneByOne(bge, TEXTS), exact.encode(TEXTS, 512), 1e-6,
                    "batch size 1 vs one call per text");
        }
    }

    @Test
    void inputOrderDoesNotChangeVectors() {
        float[][] batched = bge.encode(TEXTS, 512);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < TEXTS.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(7));
        List<String> shuffled = new ArrayList<>();
        order.forEach(i -> shuffled.add(TEXTS.get(i)));
        float[][] v = bge.encode(shuffled, 512);
        float[][] back = new float[v.length][];
        for (int k = 0; k < v.length; k++) {
            back[order.get(k)] = v[k];
        }
        assertClose(batched, back, 1e-5, "shuffled input, results put back");
    }

    @Test
    void truncatesToMaxTokensKeepingSpecialTokens() {
        List<String> words = new ArrayList<>();
        for (String w : ("one two three four five six seven eight nine ten eleven twelve thirteen"
                + " fourteen fifteen sixteen seventeen eighteen nineteen twenty").split(" ")) {
            words.add(w);  // each is one WordPiece of the uncased BERT vocabulary
        }
        String all = String.join(" ", words);
        String first14 = String.join(" ", words.subList(0, 14));  // 16 = [CLS] + 14 + [SEP]
        float[][] truncated = bge.encode(List.of(all), 16);
        float[][] prefix = bge.encode(List.of(first14), 512);
        float[][] full = bge.encode(List.of(all), 512);
        assertClose(prefix, truncated, 1e-5, "text cut at 16 tokens vs its first 14 words");
        assertTrue(dot(full[0], truncated[0]) < 0.9999, "512 tokens must not truncate 22");
    }

    @Test
    void textLongerThanTheModelIsTruncatedToItsPositions() {
        String longText = "word ".repeat(2000);
        float[][] v = bge.encode(List.of(longText), 512);
        assertEquals(1.0, Math.sqrt(dot(v[0], v[0])), 1e-5);
    }

    @Test
    void emptyListGivesEmptyResult() {
        assertEquals(0, bge.encode(List.of(), 128).length);
    }

    @Test
    void maxTokensOutsideTheModelRangeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bge.encode(List.of("x"), 513));
        assertTrue(e.getMessage().contains("512"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bge.encode(List.of("x"), 2));
    }

    @Test
    void fingerprintIsStableAndNamesTheEngine() {
        assertTrue(bge.fingerprint().matches("onnx-[0-9a-f]{16}"), bge.fingerprint());
        try (OnnxEncoder again = BgeSmallEnV15.load(cacheDir(), EncoderOptions.defaults())) {
            assertEquals(bge.fingerprint(), again.fingerprint());
        }
    }

    @Test
    void concurrentCallsAgreeWithSerialOnes() throws Exception {
        float[][] serial = bge.encode(TEXTS, 512);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> bge.encode(TEXTS, 512)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertClose(serial, results.get(i).get(), 1e-6, "concurrent call " + i);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void closedEncoderRefusesWork() {
        OnnxEncoder e = BgeSmallEnV15.load(cacheDir(), EncoderOptions.defaults());
        e.close();
        assertThrows(IllegalStateException.class, () -> e.encode(List.of("x"), 16));
    }

    @Test
    void emptyModelDirNamesTheMissingOnnxFile(@TempDir Path dir) {
        EncoderException e = assertThrows(EncoderException.class,
                () -> OnnxEncoder.fromModelDir(dir, EncoderOptions.defaults()));
        assertTrue(e.getMessage().contains(dir.resolve("model.onnx").toString()), e.getMessage());
    }

    @Test
    void missingTokenizerJsonIsNamed(@TempDir Path dir) throws IOException {
        Path extracted = BgeSmallEnV15.extract(cacheDir());
        Files.createSymbolicLink(dir.resolve("model.onnx"),
                extracted.resolve(BgeSmallEnV15.MODEL_RESOURCE));
        EncoderException e = assertThrows(EncoderException.class,
                () -> OnnxEncoder.fromModelDir(dir, EncoderOptions.defaults()));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer.json").toString()),
                e.getMessage());
    }

    @Test
    void modelDirWithPoolingConfigLoadsAndMatchesTheJarModel(@TempDir Path dir)
            throws IOException {
        Path extracted = BgeSmallEnV15.extract(cacheDir());
        Files.createDirectories(dir.resolve("onnx"));
        Files.createSymbolicLink(dir.resolve("onnx/model_quantized.onnx"),
                extracted.resolve(BgeSmallEnV15.MODEL_RESOURCE));
        Files.createSymbolicLink(dir.resolve("tokenizer.json"),
                extracted.resolve(BgeSmallEnV15.TOKENIZER_RESOURCE));
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"),
                "{\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": false}");
        try (OnnxEncoder e = OnnxEncoder.fromModelDir(dir,
                EncoderOptions.defaults().withPooling(Pooling.MEAN))) {
            assertClose(bge.encode(TEXTS, 512), e.encode(TEXTS, 512), 1e-6,
                    "folder (CLS from 1_Pooling) vs jar model");
        }
    }

    @Test
    void corruptOnnxFileIsNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("model.onnx"), "not a protobuf");
        Files.createSymbolicLink(dir.resolve("tokenizer.json"), BgeSmallEnV15.extract(cacheDir())
                .resolve(BgeSmallEnV15.TOKENIZER_RESOURCE));
        EncoderException e = assertThrows(EncoderException.class,
                () -> OnnxEncoder.fromModelDir(dir, EncoderOptions.defaults()));
        assertTrue(e.getMessage().contains(dir.resolve("model.onnx").toString()), e.getMessage());
    }
}
