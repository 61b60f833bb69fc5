package org.memorag.engine.tensor;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects tensors and string metadata, then writes one safetensors file (8-byte little-endian
 * header length, JSON header padded with spaces to a multiple of 8, raw little-endian data). Used
 * for test checkpoints and for {@code ModelMemory.writeTo}. Tensors are kept as byte arrays until
 * written, so this suits files that fit in memory per tensor (each tensor < 2 GiB).
 */
public final class SafetensorsWriter {
    /** Writes a tensor's bytes at write time (lets big tensors stream from native memory). */
    @FunctionalInterface
    public interface Source {
        void writeTo(OutputStream out) throws IOException;
    }

    private record Entry(String name, String dtype, long[] shape, long size, Source data) {}

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds float values, stored as {@code dtype} (F32, F16 or BF16, rounded to nearest even). */
    public SafetensorsWriter addFloats(String name, String dtype, long[] shape, float[] values) {
        check(name, shape, values.length);
        int width = TensorInfo.bytesPerElement(dtype);
        ByteBuffer b = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case "F32" -> b.asFloatBuffer().put(values);
            case "F16" -> {
                for (float v : values) {
                    b.putShort(HalfFloats.floatToF16(v));
                }
            }
            case "BF16" -> {
                for (float v : values) {
                    b.putShort(HalfFloats.floatToBf16(v));
                }
            }
            default -> throw new IllegalArgumentException(
                    "tensor '" + name + "': cannot write floats as " + dtype + " (F32, F16, BF16)");
        }
        add(name, dtype, shape, b.array());
        return this;
    }

    /** Adds int32 values (I32). */
    public SafetensorsWriter addInts(String name, long[] shape, int[] values) {
        check(name, shape, values.length);
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        add(name, "I32", shape, b.array());
        return this;
    }

    /** Adds raw little-endian bytes of any dtype name (used to write deliberately odd files). */
    public SafetensorsWriter addRaw(String name, String dtype, long[] shape, byte[] data) {
        byte[] copy = data.clone();
        entries.add(new Entry(name, dtype, shape.clone(), copy.length, out -> out.write(copy)));
        return this;
    }

    /** Adds a tensor of {@code bytes} bytes whose data {@code source} writes at write time. */
    public SafetensorsWriter addStreamed(String name, String dtype, long[] shape, long bytes,
            Source source) {
        int width = TensorInfo.bytesPerElement(dtype);
        long elements = 1;
        for (long d : shape) {
            elements *= d;
        }
        if (width > 0 && elements * width != bytes) {
            throw new IllegalArgumentException("tensor '" + name + "': " + dtype
                    + java.util.Arrays.toString(shape) + " needs " + elements * width
                    + " bytes, got " + bytes);
        }
        entries.add(new Entry(name, dtype, shape.clone(), bytes, source));
        return this;
    }

    private void add(String name, String dtype, long[] shape, byte[] data) {
        entries.add(new Entry(name, dtype, shape.clone(), data.length, out -> out.write(data)));
    }

    private void check(String name, long[] shape, int n) {
        long elements = 1;
        for (long d : shape) {
            elements *= d;
        }
        if (elements != n) {
            throw new IllegalArgumentException("tensor '" + name + "': shape "
                    + java.util.Arrays.toString(shape) + " holds " + elements + " values, got "
                    + n);
        }
        for (Entry e : entries) {
            if (e.name().equals(name)) {
                throw new IllegalArgumentException("tensor '" + name + "' added twice");
            }
        }
    }

    /** The JSON header as it will be written (before padding). */
    String header() {
        JsonObject root = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            root.add("__metadata__", meta);
        }
        long offset = 0;
        for (Entry e : entries) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", e.dtype());
            JsonArray shape = new JsonArray();
            for (long d : e.shape()) {
                shape.add(d);
            }
            t.add("shape", shape);
            JsonArray offs = new JsonArray();
            offs.add(offset);
            offs.add(offset + e.size());
            t.add("data_offsets", offs);
            root.add(e.name(), t);
            offset += e.size();
        }
        return root.toString();
    }

    public void writeTo(OutputStream out) throws IOException {
        byte[] json = header().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
        out.write(len.array());
        out.write(json);
        for (int i = json.length; i < padded; i++) {
            out.write(' ');
        }
        for (Entry e : entries) {
            CountingStream counted = new CountingStream(out);
            e.data().writeTo(counted);
            if (counted.count != e.size()) {
                throw new IOException("tensor '" + e.name() + "': wrote " + counted.count
                        + " bytes, header says " + e.size());
            }
        }
        out.flush();
    }

    public void writeTo(Path file) throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file),
                1 << 20)) {
            writeTo(out);
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
