package org.memorag.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.generate.GenerationConfig;
import org.memorag.engine.ops.Attention;
import org.memorag.engine.reference.LogitAsserts;
import org.memorag.engine.reference.ReferenceDecoder;
import org.memorag.engine.tensor.Device;
import org.memorag.testing.TinyCheckpoint;

/** Cache behaviours: incremental decode, chunking and tiling, fork, export/import. */
class KvCacheTest {
    @TempDir
    static Path dir;
    static DecoderLanguageModel model;
    static ReferenceDecoder reference;
    static final List<Attention.Implementation> IMPLEMENTATIONS = implementations();

    private static List<Attention.Implementation> implementations() {
        List<Attention.Implementation> all = new java.util.ArrayList<>(List.of(
                Attention.Implementation.DJL, Attention.Implementation.NATIVE,
                Attention.Implementation.NATIVE_PORTABLE));
        if (org.memorag.engine.ops.NativeAttention.hasAvx2()) {
            all.add(Attention.Implementation.NATIVE_AVX2);
        }
        return all;
    }
    static final int[] CONTEXT = {4, 8, 15, 16, 23, 42, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 7, 9};

    @BeforeAll
    static void load() throws IOException {
        // a window of 5 makes chunk and tile boundaries cross the sliding-window edge
        Path d = TinyCheckpoint.mistral().layers(2).slidingWindow(5, 0).seed(21)
                .writeTo(dir.resolve("m"));
        model = Decoders.load(d, Device.cpu());
        reference = ReferenceDecoder.load(d);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void incrementalDecodeEqualsFullRecompute() {
        Decoder d = model.decoder();
        float[][] full = model.promptLogits(CONTEXT);
        try (KvCache cache = KvCache.create(d, 2)) {     // also grows the buffers several times
            float[][] steps = new float[CONTEXT.length][];
            for (int i = 0; i < CONTEXT.length; i++) {
                steps[i] = Prefill.run(cache, new int[] {CONTEXT[i]}, 1);
            }
            LogitAsserts.assertClose(full, steps, 1e-5);
            assertEquals(CONTEXT.length, cache.length());
        }
    }

    @Test
    void chunkedPrefillAndTiledAttentionEqualOneShot() {
        double[][] ref = reference.promptLogits(CONTEXT);
        for (Attention.Implementation impl : IMPLEMENTATIONS) {
            // the tilings shape the DJL path's blocks; the native kernel tiles on its own
            for (int[] t : new int[][] {{3, 2, 2}, {4, 1, 3}, {7, 5, 0}, {18, 18, 1}}) {
                try (KvCache cache = KvCache.create(model.decoder(), 1).tiling(t[1], t[2])
                        .attention(impl)) {
                    float[][] got = Prefill.runAllLogits(cache, CONTEXT, t[0]);
                    LogitAsserts.assertClose(ref, got, 1e-4);
                }
            }
        }
    }

    @Test
    void longPromptInChunksMatchesReferenceOnEveryImplementation() {
        // 150 tokens: several native query tiles and key blocks, the window's edge inside each
        int[] ids = new int[150];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 37 + 11) % 97;
        }
        double[][] ref = reference.promptLogits(ids);
        for (Attention.Implementation impl : IMPLEMENTATIONS) {
            try (KvCache cache = KvCache.create(model.decoder(), 8).attention(impl)) {
                LogitAsserts.assertClose(ref, Prefill.runAllLogits(cache, ids, 64), 1e-4);
            }
        }
    }

    @Test
    void generationOverMemoryEqualsUninterruptedGeneration() {
        int[] question = {30, 31, 32};
        int[] all = concat(CONTEXT, question);
        GenerationConfig greedy = GenerationConfig.greedy(6);
        int[] uninterrupted = model.generate(null, all, greedy);
        try (KvMemory memory = model.memorize(CONTEXT)) {
            assertArrayEquals(uninterrupted, model.generate(memory, question, greedy));
            // the memory is unchanged: the same question again gives the same answer
            assertArrayEquals(uninterrupted, model.generate(memory, question, greedy));
            assertEquals(CONTEXT.length, memory.inputTokens());
        }
    }

    @Test
    void exportImportContinueEqualsUninterrupted() throws IOException {
        int[] question = {60, 61};
        GenerationConfig sampled = new GenerationConfig(8, 0.9, 0.95, 20, 1.2, 77L, List.of(),
                List.of());
        int[] expected = model.generate(null, concat(CONTEXT, question), sampled);
        byte[] bytes;
        try (KvMemory memory = model.memorize(CONTEXT)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            memory.writeTo(out);
            bytes = out.toByteArray();
            assertEquals("kv", memory.metadata().get("mode"));
            assertEquals(memory.bytes() + 4L * CONTEXT.length, bytes.length - headerBytes(bytes));
        }
        try (KvMemory restored = model.readMemory(new ByteArrayInputStream(bytes))) {
            assertEquals(CONTEXT.length, restored.slots());
            assertArrayEquals(CONTEXT, restored.contextIds());
            // sampling with a repetition penalty over context + question, as one uninterrupted run
            assertArrayEquals(expected, model.generate(restored, question, sampled));
            float[] a = lastLogits(model.generateDetailed(restored, question,
                    GenerationConfig.greedy(0), true));
            float[][] full = model.promptLogits(concat(CONTEXT, question));
            LogitAsserts.assertClose(new float[][] {full[full.length - 1]}, new float[][] {a},
                    1e-5);
        }
    }

    @Test
    void memoryOfAnotherModelIsRejected(@TempDir Path other) throws IOException {
        Path d = TinyCheckpoint.mistral().layers(2).slidingWindow(5, 0).seed(22).writeTo(other);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (KvMemory memory = model.memorize(CONTEXT)) {
            memory.writeTo(out);
        }
        try (DecoderLanguageModel otherModel = Decoders.load(d, Device.cpu())) {
            // same config, other weights: a live memory handed to another model is refused
            try (KvMemory mine = model.memorize(CONTEXT)) {
                IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class,
                        () -> otherModel.generate(mine, new int[] {1}, GenerationConfig.greedy(1)));
                org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("memory"));
            }
        }
        Path llama = TinyCheckpoint.llama().layers(2).seed(22).writeTo(other.resolve("llama"));
        try (DecoderLanguageModel otherModel = Decoders.load(llama, Device.cpu())) {
            IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> otherModel.readMemory(new ByteArrayInputStream(out.toByteArray())));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(model.fingerprint()),
                    e.getMessage());
        }
    }

    @Test
    void batchOfPromptsEqualsOneByOne() {
        List<int[]> prompts = List.of(new int[] {1, 2, 3}, new int[] {9},
                new int[] {50, 51, 52, 53});
        GenerationConfig greedy = GenerationConfig.greedy(4);
        try (KvMemory memory = model.memorize(CONTEXT)) {
            List<int[]> batch = model.generateBatch(memory, prompts, greedy);
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(model.generate(memory, prompts.get(i), greedy), batch.get(i),
                        "prompt " + i);
            }
        }
    }

    @Test
    void concurrentGenerationsOverOneMemoryEqualSequentialOnes() throws Exception {
        GenerationConfig sampled = new GenerationConfig(6, 0.8, 0.9, 0, 1.1, 5L, List.of(),
                List.of());
        try (KvMemory memory = model.memorize(CONTEXT)) {
            int[][] questions = {{1, 2}, {3}, {70, 71, 72}, {9, 9}};
            int[][] sequential = new int[questions.length][];
            for (int i = 0; i < questions.length; i++) {
                sequential[i] = model.generate(memory, questions[i], sampled);
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<int[]>> futures = new java.util.ArrayList<>();
                for (int[] q : questions) {
                    futures.add(pool.submit(() -> model.generate(memory, q, sampled)));
                }
                for (int i = 0; i < questions.length; i++) {
                    assertArrayEquals(sequential[i], futures.get(i).get(), "question " + i);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static float[] lastLogits(DecoderLanguageModel.Result r) {
        return r.promptLogits()[r.promptLogits().length - 1];
    }

    private static long headerBytes(byte[] file) {
        return 8 + java.nio.ByteBuffer.wrap(file, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong();
    }

    static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
