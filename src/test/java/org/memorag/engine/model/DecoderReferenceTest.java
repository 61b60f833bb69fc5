package org.memorag.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.reference.LogitAsserts;
import org.memorag.engine.reference.ReferenceDecoder;
import org.memorag.engine.tensor.Device;
import org.memorag.testing.TinyCheckpoint;

/** Engine logits against the float64 loops of ReferenceDecoder, per architecture and layout. */
class DecoderReferenceTest {
    static final int[] IDS = {5, 17, 3, 95, 42, 42, 0, 7, 61, 88, 12};

    static void check(TinyCheckpoint ckpt, Path dir) throws IOException {
        Path d = ckpt.writeTo(dir);
        double[][] ref = ReferenceDecoder.load(d).promptLogits(IDS);
        try (DecoderLanguageModel m = Decoders.load(d, Device.cpu())) {
            LogitAsserts.assertClose(ref, m.promptLogits(IDS), 1e-4);
        }
    }

    @Test
    void qwen2F32MatchesReference(@TempDir Path dir) throws IOException {
        check(TinyCheckpoint.qwen2().layers(2).seed(3), dir);
    }

    @Test
    void qwen2Bf16TiedMatchesReference(@TempDir Path dir) throws IOException {
        check(TinyCheckpoint.qwen2().layers(2).dtype("BF16").tied(true).seed(11).ropeTheta(1e6),
                dir);
    }

    @Test
    void llamaF16ShardedMatchesReference(@TempDir Path dir) throws IOException {
        check(TinyCheckpoint.llama().layers(3).dtype("F16").sharded(true).seed(5), dir);
    }

    @Test
    void llama3RopeScalingMatchesReference(@TempDir Path dir) throws IOException {
        check(TinyCheckpoint.llama().layers(2).llama3RopeScaling(8, 1, 4, 64).seed(17), dir);
    }

    @Test
    void mistralSlidingWindowMatchesReference(@TempDir Path dir) throws IOException {
        check(TinyCheckpoint.mistral().layers(2).slidingWindow(3, 0).seed(7), dir);
    }

    @Test
    void qwen2SlidingWindowOnlyInUpperLayersMatchesReference(@TempDir Path dir) throws IOException {
        check(TinyCheckpoint.qwen2().layers(3).slidingWindow(4, 1).seed(9).sharded(true), dir);
    }

    @Test
    void float16ComputeStaysCloseToReferenceAndRoundTripsItsMemory(@TempDir Path dir) throws IOException {
        // the GPU dtype path, run on the CPU: weights cast to F16, softmax and norms in F32
        Path d = TinyCheckpoint.qwen2().layers(2).seed(13).writeTo(dir);
        double[][] ref = ReferenceDecoder.load(d).promptLogits(IDS);
        try (DecoderLanguageModel m = Decoders.load(d, Device.cpu().withDtype("F16"))) {
            LogitAsserts.assertClose(ref, m.promptLogits(IDS), 2e-2);
            try (KvMemory mem = m.memorize(IDS)) {
                assertEquals("F16", mem.metadata().get("dtype"));
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                mem.writeTo(out);
                try (KvMemory back = m.readMemory(new java.io.ByteArrayInputStream(out.toByteArray()))) {
                    var greedy = org.memorag.engine.generate.GenerationConfig.greedy(5);
                    assertArrayEquals(m.generate(mem, new int[] {3, 4}, greedy),
                            m.generate(back, new int[] {3, 4}, greedy));
                }
            }
        }
    }
}
