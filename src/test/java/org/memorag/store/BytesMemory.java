package org.memorag.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import org.memorag.engine.model.ModelMemory;

/**
 * A memory that is only its bytes: lets the store tests run without a model (the store must not
 * care what a memory holds). Tracks whether it was closed.
 */
final class BytesMemory implements ModelMemory {
    final byte[] data;
    boolean closed;

    BytesMemory(byte[] data) {
        this.data = data.clone();
    }

    static BytesMemory read(InputStream in) throws IOException {
        return new BytesMemory(in.readAllBytes());
    }

    @Override
    public String kind() {
        return "kv";
    }

    @Override
    public int inputTokens() {
        return data.length / 4;
    }

    @Override
    public int slots() {
        return data.length / 4;
    }

    @Override
    public long bytes() {
        return data.length;
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of("mode", "longllm", "dtype", "F32");
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(data);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BytesMemory m && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }
}
