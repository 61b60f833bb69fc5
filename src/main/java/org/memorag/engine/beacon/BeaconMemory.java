package org.memorag.engine.beacon;

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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memorag.engine.model.DecoderConfig;
import org.memorag.engine.model.ModelMemory;
import org.memorag.engine.tensor.SafetensorsFile;
import org.memorag.engine.tensor.SafetensorsWriter;
import org.memorag.engine.tensor.TensorInfo;

/**
 * A memorized document of a beacon model (memory mode {@code beacon}): the compacted beacon K/V
 * of every closed window, the open window's K/V and the stream cursors (BEACON_SPEC §2.10,
 * §2.13). Generating over it never changes it: each question runs on a fork (Q7).
 *
 * <p>File ({@link #writeTo}): one safetensors file with {@code layers.{l}.beacon.{k|v}}
 * ({@code [kvHeads, memorySlots, headDim]}, keys rotated at their compacted positions
 * 0..M−1 — they never move again, §2.9), {@code layers.{l}.open.{k|k_rot|v}} (open window: keys
 * before and after RoPE), {@code open_flags} (I8, one per open slot) and string metadata: format,
 * model fingerprint, dtype, beacon settings, ratio choice, token and slot counts, cursors.
 * Tensors with no slots are left out.
 */
public final class BeaconMemory implements ModelMemory {
    public static final String FORMAT_VERSION = "1";
    private static final String CURSOR = "cursor.";

    private final BeaconKv kv;
    private final BeaconStream stream;
    private final BeaconConfig config;
    private final RatioChoice choice;
    private final long seed;
    private final String fingerprint;
    private final DecoderConfig dims;
    private final DataType dtype;

    BeaconMemory(BeaconKv kv, BeaconStream stream, BeaconConfig config, RatioChoice choice,
            long seed, String fingerprint, DecoderConfig dims, DataType dtype) {
        this.kv = kv;
        this.stream = stream;
        this.config = config;
        this.choice = choice;
        this.seed = seed;
        this.fingerprint = fingerprint;
        this.dims = dims;
        this.dtype = dtype;
    }

    BeaconKv kv() {
        return kv;
    }

    /** The cursors (read-only use: copy before continuing them). */
    BeaconStream stream() {
        return stream;
    }

    /** The beacon settings this memory was built with (its ratio may differ from the model's). */
    public BeaconConfig config() {
        return config;
    }

    long seed() {
        return seed;
    }

    @Override
    public String kind() {
        return "beacon";
    }

    @Override
    public int inputTokens() {
        return stream.received();
    }

    @Override
    public int slots() {
        return stream.slots();
    }

    /** Compacted beacon slots (closed windows). */
    public int memorySlots() {
        return stream.memorySlots();
    }

    /** Slots of the open (last, partial) window. */
    public int openSlots() {
        return stream.openSlots();
    }

    @Override
    public long bytes() {
        return kv.bytes();
    }

    private String dtypeName() {
        return dtype == DataType.FLOAT16 ? "F16" : "F32";
    }

    @Override
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format_version", FORMAT_VERSION);
        m.put("mode", "beacon");
        m.put("model", fingerprint);
        m.put("model_type", dims.modelType());
        m.put("dtype", dtypeName());
        m.put("tokens", String.valueOf(inputTokens()));
        m.put("slots", String.valueOf(slots()));
        m.put("num_layers", String.valueOf(dims.numHiddenLayers()));
        m.put("num_key_value_heads", String.valueOf(dims.numKeyValueHeads()));
        m.put("head_dim", String.valueOf(dims.headDim()));
        m.put("memory_keys", "rotated");
        m.putAll(config.toMetadata());
        m.put("beacon_ratio_used", String.valueOf(stream.currentRatio()));
        m.put("ratio_seed", String.valueOf(seed));
        if (choice != null) {
            m.putAll(choice.toMetadata());
        }
        stream.cursors().forEach((k, v) -> m.put(CURSOR + k, v));
        return m;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        metadata().forEach(w::metadata);
        int mem = kv.memorySlots();
        int open = kv.openSlots();
        int width = dtype.getNumOfBytes();
        for (int l = 0; l < dims.numHiddenLayers(); l++) {
            int layer = l;
            if (mem > 0) {
                add(w, "layers." + l + ".beacon.k", mem, width, s -> kv.ownMemoryKeys(s, layer));
                add(w, "layers." + l + ".beacon.v", mem, width, s -> kv.ownMemoryValues(s, layer));
            }
            if (open > 0) {
                add(w, "layers." + l + ".open.k", open, width, s -> kv.openKeysPre(s, layer));
                add(w, "layers." + l + ".open.k_rot", open, width,
                        s -> kv.openKeysRotated(s, layer));
                add(w, "layers." + l + ".open.v", open, width, s -> kv.openValues(s, layer));
            }
        }
        byte[] flags = stream.openFlags();
        if (flags.length > 0) {
            w.addRaw("open_flags", "I8", new long[] {flags.length}, flags);
        }
        w.writeTo(out);
    }

    private interface View {
        NDArray get(NDManager scope);
    }

    private void add(SafetensorsWriter w, String name, int slots, int width, View view) {
        if (kv.isFork()) {
            throw new IllegalStateException("a question's overlay is not a memory to write");
        }
        long[] shape = {dims.numKeyValueHeads(), slots, dims.headDim()};
        w.addStreamed(name, dtypeName(), shape, shape[0] * shape[1] * shape[2] * width, o -> {
            try (NDManager scope = kv.manager().newSubManager()) {
                ByteBuffer b = view.get(scope).toDevice(ai.djl.Device.cpu(), false).duplicate()
                        .toByteBuffer();
                if (b.order() != ByteOrder.LITTLE_ENDIAN) {
                    throw new IOException("native byte order is big-endian; safetensors needs"
                            + " little-endian");
                }
                Channels.newChannel(o).write(b);
            }
        });
    }

    /** Reads a memory written by {@link #writeTo} for {@code decoder}; rejects any mismatch. */
    static BeaconMemory read(InputStream in, BeaconDecoder decoder) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] len = new byte[8];
        data.readFully(len);
        long headerLen = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLen <= 0 || headerLen > 100_000_000L) {
            throw new IOException("beacon memory: not a safetensors stream (header length "
                    + headerLen + ")");
        }
        byte[] header = new byte[(int) headerLen];
        data.readFully(header);
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, TensorInfo> infos = SafetensorsFile.parseHeader("beacon memory",
                new String(header, StandardCharsets.UTF_8), Long.MAX_VALUE, meta);
        expect(meta, "mode", "beacon", "this is not a beacon memory");
        expect(meta, "format_version", FORMAT_VERSION, "memorize the document again");
        expect(meta, "model", decoder.fingerprint(), "memorize the document again with this"
                + " model");
        BeaconConfig model = decoder.config();
        for (Map.Entry<String, String> e : model.toMetadata().entrySet()) {
            if (!e.getKey().equals("beacon_ratio")) {
                expect(meta, e.getKey(), e.getValue(), "the memory was made with other beacon"
                        + " settings");
            }
        }
        BeaconConfig config = model.withRatio(0);
        config = parseRatios(config, meta.get("beacon_ratio"));
        DecoderConfig c = decoder.decoderConfig();
        long seed = Long.parseLong(meta.getOrDefault("ratio_seed", "0"));
        Map<String, String> cursors = new HashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(CURSOR)) {
                cursors.put(k.substring(CURSOR.length()), v);
            }
        });
        List<TensorInfo> order = new ArrayList<>(infos.values());
        order.sort(Comparator.comparingLong(TensorInfo::begin));
        Map<String, byte[]> raw = new HashMap<>();
        long pos = 0;
        for (TensorInfo t : order) {
            data.skipNBytes(t.begin() - pos);
            byte[] b = new byte[Math.toIntExact(t.end() - t.begin())];
            data.readFully(b);
            pos = t.end();
            raw.put(t.name(), b);
        }
        byte[] flags = raw.getOrDefault("open_flags", new byte[0]);
        BeaconStream stream = BeaconStream.restore(config, decoder.schedule(config, seed), cursors,
                flags, "beacon memory");
        BeaconKv kv = decoder.newKv(config);
        try {
            fill(kv, raw, infos, stream, c, decoder);
            return new BeaconMemory(kv, stream, config, null, seed, decoder.fingerprint(), c,
                    decoder.plain().dtype());
        } catch (IOException | RuntimeException e) {
            kv.close();
            throw e;
        }
    }

    private static void fill(BeaconKv kv, Map<String, byte[]> raw, Map<String, TensorInfo> infos,
            BeaconStream stream, DecoderConfig c, BeaconDecoder decoder) throws IOException {
        int mem = stream.memorySlots();
        int open = stream.openSlots();
        try (NDManager scope = kv.manager().newSubManager()) {
            for (int l = 0; l < c.numHiddenLayers(); l++) {
                if (mem > 0) {
                    kv.appendMemory(l, tensor(scope, raw, infos, "layers." + l + ".beacon.k", mem,
                            c, decoder), tensor(scope, raw, infos, "layers." + l + ".beacon.v",
                            mem, c, decoder));
                }
            }
            kv.closeWindow(mem);
            for (int l = 0; l < c.numHiddenLayers(); l++) {
                if (open > 0) {
                    String p = "layers." + l + ".open.";
                    kv.appendOpen(scope, l, tensor(scope, raw, infos, p + "k", open, c, decoder),
                            tensor(scope, raw, infos, p + "k_rot", open, c, decoder),
                            tensor(scope, raw, infos, p + "v", open, c, decoder));
                }
            }
            kv.advanceOpen(open);
        }
    }

    private static NDArray tensor(NDManager scope, Map<String, byte[]> raw,
            Map<String, TensorInfo> infos, String name, int slots, DecoderConfig c,
            BeaconDecoder decoder) throws IOException {
        TensorInfo t = infos.get(name);
        long[] shape = {c.numKeyValueHeads(), slots, c.headDim()};
        if (t == null || !java.util.Arrays.equals(t.shape(), shape)) {
            throw new IOException("beacon memory: tensor '" + name + "' is "
                    + (t == null ? "missing" : "of shape " + t.shapeString()) + ", the cursors"
                    + " need " + java.util.Arrays.toString(shape) + "; the file is damaged");
        }
        DataType dt = switch (t.dtype()) {
            case "F32" -> DataType.FLOAT32;
            case "F16" -> DataType.FLOAT16;
            default -> throw new IOException("beacon memory: tensor '" + name + "' has dtype "
                    + t.dtype() + " (F32 or F16 expected)");
        };
        byte[] b = raw.get(name);
        ByteBuffer buf = ByteBuffer.allocateDirect(b.length).order(ByteOrder.nativeOrder());
        buf.put(b).flip();
        return scope.create(buf, new Shape(shape), dt).toType(decoder.plain().dtype(), false)
                .toDevice(decoder.plain().device(), false);
    }

    private static void expect(Map<String, String> meta, String key, String want, String hint)
            throws IOException {
        String got = meta.get(key);
        if (!want.equals(got)) {
            throw new IOException("beacon memory: " + key + " is " + got + ", expected " + want
                    + "; " + hint);
        }
    }

    private static BeaconConfig parseRatios(BeaconConfig base, String list) throws IOException {
        if (list == null || !list.startsWith("[") || !list.endsWith("]")) {
            throw new IOException("beacon memory: beacon_ratio metadata '" + list + "' is not a"
                    + " list like [4]");
        }
        List<Integer> ratios = new ArrayList<>();
        for (String s : list.substring(1, list.length() - 1).split(",")) {
            ratios.add(Integer.parseInt(s.trim()));
        }
        return new BeaconConfig(base.window(), base.stride(), base.attn(), ratios,
                base.ratioMix(), base.param(), base.embedInit(), base.sinkSize(),
                base.attendPrev(), base.pos(), base.parallelWindow());
    }

    @Override
    public void close() {
        kv.close();
    }
}
