package org.memorag.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writer and memory-mapped reader agree, for every float dtype and when reading in pieces. */
class SafetensorsTest {
    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 3);
        }
        return v;
    }

    @Test
    void halfFloatConversionsMatchKnownBitPatterns() {
        assertEquals(1.0f, HalfFloats.f16ToFloat((short) 0x3C00));
        assertEquals(-2.0f, HalfFloats.f16ToFloat((short) 0xC000));
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 0x0001));        // smallest subnormal
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.f16ToFloat((short) 0x7C00));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat((short) 0x7E00)));
        assertEquals((short) 0x3C00, HalfFloats.floatToF16(1.0f));
        assertEquals((short) 0x3555, HalfFloats.floatToF16(1f / 3));           // round to nearest
        assertEquals((short) 0x7C00, HalfFloats.floatToF16(1e6f));            // overflow -> inf
        assertEquals((short) 0x0001, HalfFloats.floatToF16(0x1p-24f));
        assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3F80));
        assertEquals((short) 0x3F80, HalfFloats.floatToBf16(1.0f));
        // 0x3EAAAAAB rounds up
        assertEquals((short) 0x3EAB, HalfFloats.floatToBf16(1f / 3));
        for (int h = 0; h < 0x7C00; h++) {                                    // every finite half
            assertEquals((short) h, HalfFloats.floatToF16(HalfFloats.f16ToFloat((short) h)),
                    "half " + h);
        }
    }

    @Test
    void roundTripsEveryFloatDtypeWithMetadata(@TempDir Path dir) throws IOException {
        float[] v = random(6 * 7, 1);
        Path f = dir.resolve("t.safetensors");
        new SafetensorsWriter().metadata("format", "pt")
                .addFloats("a", "F32", new long[] {6, 7}, v)
                .addFloats("b", "F16", new long[] {6, 7}, v)
                .addFloats("c", "BF16", new long[] {42}, v)
                .writeTo(f);
        try (SafetensorsFile s = SafetensorsFile.open(f); NDManager m = NDManager.newBaseManager("PyTorch")) {
            assertEquals("pt", s.metadata().get("format"));
            assertEquals("F16", s.tensors().get("b").dtype());
            NDArray a = s.load(m, "a", DataType.FLOAT32);
            assertEquals(new Shape(6, 7), a.getShape());
            assertArrayEquals(v, a.toFloatArray());
            float[] b = s.load(m, "b", DataType.FLOAT32).toFloatArray();
            float[] c = s.load(m, "c", DataType.FLOAT32).toFloatArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals(HalfFloats.f16ToFloat(HalfFloats.floatToF16(v[i])), b[i],
                        "F16 element " + i);
                assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v[i])), c[i],
                        "BF16 element " + i);
                assertEquals(v[i], c[i], Math.abs(v[i]) / 128, "BF16 keeps 8 bits of mantissa");
            }
            assertEquals(DataType.FLOAT16, s.load(m, "b", DataType.FLOAT16).getDataType());
        }
    }

    @Test
    void readingInPiecesEqualsReadingAtOnce(@TempDir Path dir) throws IOException {
        float[] v = random(37 * 5, 2);
        Path f = dir.resolve("t.safetensors");
        new SafetensorsWriter().addFloats("w", "BF16", new long[] {37, 5}, v).writeTo(f);
        try (SafetensorsFile s = SafetensorsFile.open(f); NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] whole = s.load(m, "w", DataType.FLOAT32).toFloatArray();
            NDArray pieces = s.load(m, "w", DataType.FLOAT32, 3 * 5 * 2);   // 3 rows per piece
            assertEquals(new Shape(37, 5), pieces.getShape());
            assertArrayEquals(whole, pieces.toFloatArray());
        }
    }

    @Test
    void corruptHeaderNamesTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '"', 'x', 0, 0, 0, 0, 0});
        IOException e = assertThrows(IOException.class, () -> SafetensorsFile.open(f).close());
        assertTrue(e.getMessage().contains("bad.safetensors"), e.getMessage());
    }
}
