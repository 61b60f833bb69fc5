package org.memorag.engine.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A memory-mapped safetensors file: the header is parsed once, each tensor is mapped on demand
 * ({@code FileChannel.map} per tensor, in pieces of at most {@link #MAX_PIECE_BYTES}, so files and
 * tensors over 2 GiB work) and converted to float32 in Java before it reaches DJL. Not thread-safe.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Largest byte range mapped and converted at once (DJL buffers are int-indexed). */
    static final long MAX_PIECE_BYTES = 1L << 30;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart,
            Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and parses the header; the message names the file on any format error. */
    public static SafetensorsFile open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = ch.size();
            if (size < 8) {
                throw new IOException(path + ": not a safetensors file (" + size + " bytes)");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long headerLen = len.getLong(0);
            if (headerLen <= 0 || headerLen > 100_000_000L || 8 + headerLen > size) {
                throw new IOException(path + ": not a safetensors file (header length "
                        + headerLen + ", file size " + size + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            Map<String, String> meta = new LinkedHashMap<>();
            Map<String, TensorInfo> infos = parseHeader(path.toString(), json,
                    size - 8 - headerLen, meta);
            return new SafetensorsFile(path, ch, 8 + headerLen, infos, meta);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Parses a safetensors JSON header; {@code where} names the source in error messages. */
    public static Map<String, TensorInfo> parseHeader(String where, String json, long dataBytes,
            Map<String, String> metadataOut) throws IOException {
        JsonObject root;
        try {
            root = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(where + ": safetensors header is not a JSON object: "
                    + e.getMessage(), e);
        }
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
                    metadataOut.put(m.getKey(), m.getValue().getAsString());
                }
                continue;
            }
            JsonObject t = e.getValue().getAsJsonObject();
            String dtype = t.get("dtype").getAsString();
            var shapeJson = t.getAsJsonArray("shape");
            long[] shape = new long[shapeJson.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeJson.get(i).getAsLong();
            }
            var offs = t.getAsJsonArray("data_offsets");
            TensorInfo info = new TensorInfo(e.getKey(), dtype, shape, offs.get(0).getAsLong(),
                    offs.get(1).getAsLong());
            int width = TensorInfo.bytesPerElement(dtype);
            if (width > 0 && info.end() - info.begin() != info.elements() * width) {
                throw new IOException(where + ": tensor '" + e.getKey() + "' has " + dtype
                        + info.shapeString() + " but its data_offsets span "
                        + (info.end() - info.begin()) + " bytes");
            }
            if (info.begin() < 0 || info.end() > dataBytes || info.begin() > info.end()) {
                throw new IOException(where + ": tensor '" + e.getKey() + "' data_offsets ["
                        + info.begin() + ", " + info.end() + ") lie outside the " + dataBytes
                        + "-byte data section (truncated file?)");
            }
            out.put(e.getKey(), info);
        }
        return out;
    }

    public Path path() {
        return path;
    }

    /** Tensor entries in header order. */
    public Map<String, TensorInfo> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /**
     * Loads tensor {@code name} as float32 into {@code manager} (on the manager's device), then
     * casts to {@code target}. F32, F16 and BF16 are accepted; the error for any other dtype or an
     * unknown name names this file.
     */
    public NDArray load(NDManager manager, String name, DataType target) throws IOException {
        return load(manager, name, target, MAX_PIECE_BYTES);
    }

    /**
     * As {@link #load(NDManager, String, DataType)}, mapping at most {@code pieceBytes} at once.
     */
    NDArray load(NDManager manager, String name, DataType target,
            long pieceBytes) throws IOException {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new IOException(path + ": no tensor '" + name + "'");
        }
        int width = TensorInfo.bytesPerElement(info.dtype());
        if (!info.dtype().equals("F32") && !info.dtype().equals("F16")
                && !info.dtype().equals("BF16")) {
            throw new IOException(path + ": tensor '" + name + "' has dtype " + info.dtype()
                    + "; supported are F32, F16 and BF16 (convert the checkpoint, e.g. with"
                    + " safetensors in Python)");
        }
        long[] shape = info.shape();
        long rows = shape.length == 0 ? 1 : shape[0];
        long rowBytes = rows == 0 ? 0 : (info.end() - info.begin()) / rows;
        long rowsPerPiece = rowBytes == 0 ? Math.max(rows, 1) : Math.max(1, pieceBytes / rowBytes);
        if (rows <= rowsPerPiece) {
            return cast(piece(manager, info, 0, rows, width, shape), target);
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDList parts = new NDList();
            for (long r = 0; r < rows; r += rowsPerPiece) {
                long n = Math.min(rowsPerPiece, rows - r);
                NDArray p = piece(scratch, info, r, n, width, shape);
                parts.add(cast(p, target));
            }
            NDArray whole = NDArrays.concat(parts, 0);
            whole.attach(manager);
            return whole;
        }
    }

    private static NDArray cast(NDArray a, DataType target) {
        if (a.getDataType() == target) {
            return a;
        }
        NDArray c = a.toType(target, false);
        a.close();
        return c;
    }

    /** Rows [row, row + n) of a tensor as a float32 array owned by {@code manager}. */
    private NDArray piece(NDManager manager, TensorInfo info, long row, long n, int width,
            long[] shape) throws IOException {
        long[] pieceShape = shape.clone();
        if (pieceShape.length > 0) {
            pieceShape[0] = n;
        }
        long elements = 1;
        for (long d : pieceShape) {
            elements *= d;
        }
        long perRow = shape.length == 0 ? 1 : elements / Math.max(n, 1);
        long offset = dataStart + info.begin() + row * perRow * width;
        long bytes = elements * width;
        ByteBuffer floats = ByteBuffer.allocateDirect(Math.toIntExact(elements * 4))
                .order(ByteOrder.nativeOrder());
        if (bytes > 0) {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, offset, bytes);
            mapped.order(ByteOrder.LITTLE_ENDIAN);
            switch (info.dtype()) {
                case "F32" -> floats.asFloatBuffer().put(mapped.asFloatBuffer());
                case "BF16" -> {
                    var src = mapped.asShortBuffer();
                    var dst = floats.asFloatBuffer();
                    for (int i = 0; i < elements; i++) {
                        dst.put(i, HalfFloats.bf16ToFloat(src.get(i)));
                    }
                }
                default -> {
                    var src = mapped.asShortBuffer();
                    var dst = floats.asFloatBuffer();
                    for (int i = 0; i < elements; i++) {
                        dst.put(i, HalfFloats.f16ToFloat(src.get(i)));
                    }
                }
            }
        }
        // DJL keeps a reference to a direct buffer it wraps; duplicate() moves the data into
        // memory PyTorch owns so the Java buffer can be collected.
        try (NDManager wrap = manager.newSubManager()) {
            NDArray wrapped = wrap.create(floats, new Shape(pieceShape), DataType.FLOAT32);
            NDArray owned = wrapped.duplicate();
            owned.attach(manager);
            return owned;
        }
    }

    /**
     * Up to {@code bytes} from the start and up to {@code bytes} from the end of the data section
     * (a cheap content sample: two fine-tunes of one architecture differ in it).
     */
    public byte[] sample(int bytes) throws IOException {
        long size = channel.size() - dataStart;
        int head = (int) Math.min(bytes, size);
        int tail = (int) Math.min(bytes, size - head);
        ByteBuffer b = ByteBuffer.allocate(head + tail);
        b.limit(head);
        readFully(channel, b, dataStart);
        b.limit(head + tail);
        ByteBuffer rest = b.slice();
        readFully(channel, rest, channel.size() - tail);
        return b.array();
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
