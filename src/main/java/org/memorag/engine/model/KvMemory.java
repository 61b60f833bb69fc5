package org.memorag.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memorag.engine.tensor.SafetensorsFile;
import org.memorag.engine.tensor.SafetensorsWriter;
import org.memorag.engine.tensor.TensorInfo;

/**
 * The {@code longllm} memory: the plain KV cache of every context token (rotated keys, values),
 * frozen. Generation forks it ({@link KvCache#fork}), so the memory itself never changes. Written
 * as safetensors: tensors {@code layers.{l}.k} and {@code layers.{l}.v} {@code [kvHeads, tokens,
 * headDim]} in the compute dtype, {@code context_ids} (I32, so a repetition penalty covers the
 * context as transformers' generate does over its input_ids), metadata {@code format_version,
 * mode=kv, model, dtype, tokens,
 * num_layers, num_key_value_heads, head_dim}.
 */
public final class KvMemory implements ModelMemory {
    public static final String FORMAT_VERSION = "1";

    private final KvCache cache;
    private final String fingerprint;
    private final int[] contextIds;

    KvMemory(KvCache cache, String fingerprint, int[] contextIds) {
        if (contextIds.length != cache.length()) {
            throw new IllegalArgumentException(contextIds.length + " context ids for a cache of "
                    + cache.length() + " slots");
        }
        this.cache = cache;
        this.fingerprint = fingerprint;
        this.contextIds = contextIds.clone();
    }

    /** The memorized token ids. */
    public int[] contextIds() {
        return contextIds.clone();
    }

    /** The frozen cache: fork it, never write to it. */
    public KvCache cache() {
        return cache;
    }

    @Override
    public String kind() {
        return "kv";
    }

    @Override
    public int inputTokens() {
        return cache.length();
    }

    @Override
    public int slots() {
        return cache.length();
    }

    @Override
    public long bytes() {
        DecoderConfig c = cache.decoder().config();
        return 2L * c.numHiddenLayers() * c.numKeyValueHeads() * c.headDim() * cache.length()
                * cache.decoder().dtype().getNumOfBytes();
    }

    private String dtypeName() {
        return cache.decoder().dtype() == DataType.FLOAT16 ? "F16" : "F32";
    }

    @Override
    public Map<String, String> metadata() {
        DecoderConfig c = cache.decoder().config();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format_version", FORMAT_VERSION);
        m.put("mode", "kv");
        m.put("model", fingerprint);
        m.put("model_type", c.modelType());
        m.put("dtype", dtypeName());
        m.put("tokens", String.valueOf(cache.length()));
        m.put("slots", String.valueOf(cache.length()));
        m.put("num_layers", String.valueOf(c.numHiddenLayers()));
        m.put("num_key_value_heads", String.valueOf(c.numKeyValueHeads()));
        m.put("head_dim", String.valueOf(c.headDim()));
        return m;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        DecoderConfig c = cache.decoder().config();
        SafetensorsWriter w = new SafetensorsWriter();
        metadata().forEach(w::metadata);
        long[] shape = {c.numKeyValueHeads(), cache.length(), c.headDim()};
        long bytes = shape[0] * shape[1] * shape[2] * cache.decoder().dtype().getNumOfBytes();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            int layer = l;
            w.addStreamed("layers." + l + ".k", dtypeName(), shape, bytes,
                    o -> writeArray(o, layer, true));
            w.addStreamed("layers." + l + ".v", dtypeName(), shape, bytes,
                    o -> writeArray(o, layer, false));
        }
        w.addInts("context_ids", new long[] {contextIds.length}, contextIds);
        w.writeTo(out);
    }

    private void writeArray(OutputStream o, int layer, boolean keys) throws IOException {
        try (NDManager scope = cache.manager().newSubManager()) {
            NDArray a = keys ? cache.ownKeys(scope, layer) : cache.ownValues(scope, layer);
            ByteBuffer b = a.toDevice(ai.djl.Device.cpu(), false).duplicate().toByteBuffer();
            if (b.order() != ByteOrder.LITTLE_ENDIAN) {
                throw new IOException(
                        "native byte order is big-endian; safetensors needs little-endian");
            }
            Channels.newChannel(o).write(b);
        }
    }

    /** Reads a memory written by {@link #writeTo}; rejects one of another model or layout. */
    static KvMemory read(InputStream in, Decoder decoder, String fingerprint) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] len = new byte[8];
        data.readFully(len);
        long headerLen = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLen <= 0 || headerLen > 100_000_000L) {
            throw new IOException("memory: not a safetensors stream (header length " + headerLen
                    + ")");
        }
        byte[] header = new byte[(int) headerLen];
        data.readFully(header);
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, TensorInfo> infos = SafetensorsFile.parseHeader("memory",
                new String(header, StandardCharsets.UTF_8), Long.MAX_VALUE, meta);
        if (!"kv".equals(meta.get("mode"))) {
            throw new IOException("memory: mode '" + meta.get("mode")
                    + "' is not a plain kv memory");
        }
        if (!FORMAT_VERSION.equals(meta.get("format_version"))) {
            throw new IOException("memory: format_version " + meta.get("format_version")
                    + " is not " + FORMAT_VERSION + "; memorize the document again");
        }
        if (!fingerprint.equals(meta.get("model"))) {
            throw new IOException("memory was made by model " + meta.get("model")
                    + ", this model is "
                    + fingerprint + "; memorize the document again with this model");
        }
        DecoderConfig c = decoder.config();
        int tokens = Integer.parseInt(meta.get("tokens"));
        long[] shape = {c.numKeyValueHeads(), tokens, c.headDim()};
        List<TensorInfo> order = new ArrayList<>(infos.values());
        order.sort(Comparator.comparingLong(TensorInfo::begin));
        if (order.size() != 2 * c.numHiddenLayers() + 1) {
            throw new IOException("memory: " + order.size() + " tensors, expected "
                    + (2 * c.numHiddenLayers() + 1) + " (k and v of each layer, context_ids)");
        }
        int[] ids = null;
        KvCache cache = KvCache.create(decoder, Math.max(tokens, 1));
        try {
            long pos = 0;
            for (TensorInfo t : order) {
                if (t.name().equals("context_ids")) {
                    if (!t.dtype().equals("I32") || t.elements() != tokens) {
                        throw new IOException("memory: context_ids is " + t + ", expected I32["
                                + tokens + "]");
                    }
                    data.skipNBytes(t.begin() - pos);
                    byte[] raw = new byte[tokens * 4];
                    data.readFully(raw);
                    pos = t.end();
                    ids = new int[tokens];
                    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(ids);
                    continue;
                }
                if (!java.util.Arrays.equals(t.shape(), shape)) {
                    throw new IOException("memory: tensor '" + t.name() + "' has shape "
                            + t.shapeString() + ", expected " + java.util.Arrays.toString(shape));
                }
                DataType dt = switch (t.dtype()) {
                    case "F32" -> DataType.FLOAT32;
                    case "F16" -> DataType.FLOAT16;
                    default -> throw new IOException("memory: tensor '" + t.name() + "' has dtype "
                            + t.dtype() + " (F32 or F16 expected)");
                };
                data.skipNBytes(t.begin() - pos);
                byte[] raw = new byte[Math.toIntExact(t.end() - t.begin())];
                data.readFully(raw);
                pos = t.end();
                String[] parts = t.name().split("\\.");
                int layer = Integer.parseInt(parts[1]);
                try (NDManager scope = cache.manager().newSubManager()) {
                    ByteBuffer b = ByteBuffer.allocateDirect(raw.length)
                            .order(ByteOrder.nativeOrder());
                    b.put(raw).flip();
                    NDArray a = scope.create(b, new Shape(shape), dt).toType(decoder.dtype(),
                            false);
                    if (parts[2].equals("k")) {
                        cache.write(layer, 0, a, null);
                    } else {
                        cache.write(layer, 0, null, a);
                    }
                }
            }
            cache.advance(tokens);
            if (ids == null) {
                throw new IOException("memory: no context_ids tensor");
            }
            return new KvMemory(cache, fingerprint, ids);
        } catch (IOException | RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    @Override
    public void close() {
        cache.close();
    }
}
