package org.memorag.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.memorag.engine.ops.Attention;
import org.memorag.engine.ops.KvSegment;
import org.memorag.engine.ops.Mask;
import org.memorag.engine.ops.Rope;

/**
 * The plain key/value cache of a decoder: per layer, keys (rotated, as transformers caches them)
 * and values {@code [kvHeads, capacity, headDim]}, of which the first {@link #ownLength()} slots
 * are filled. A cache may sit on a frozen <em>base</em> (a memorized document): its slots come
 * first, are attended to in place and are never written, so many requests share one memory.
 * Owns its buffers; not thread-safe (one request at a time).
 */
public final class KvCache implements AutoCloseable {
    private final Decoder decoder;
    private final NDManager manager;
    private final KvCache base;
    private final int baseLength;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;
    private int capacity;
    private int queryChunk = Attention.QUERY_CHUNK;
    private int keyBlock = 0;
    private Attention.Implementation attention = null;   // null: the system property's choice

    private KvCache(Decoder decoder, KvCache base, int capacity) {
        this.decoder = decoder;
        this.base = base;
        this.baseLength = base == null ? 0 : base.length();
        this.manager = NDManager.newBaseManager(decoder.device(), "PyTorch");
        DecoderConfig c = decoder.config();
        this.keys = new NDArray[c.numHiddenLayers()];
        this.values = new NDArray[c.numHiddenLayers()];
        this.capacity = 0;
        reserve(Math.max(capacity, 1));
    }

    /** An empty cache with room for {@code capacity} tokens (it grows when needed). */
    public static KvCache create(Decoder decoder, int capacity) {
        return new KvCache(decoder, null, capacity);
    }

    /**
     * A new cache that continues this one without changing it: this cache's slots become the
     * child's frozen base. This cache must stay open and unchanged while the child lives.
     */
    public KvCache fork(int capacity) {
        return new KvCache(decoder, this, capacity).tiling(queryChunk, keyBlock)
                .attention(attention);
    }

    /**
     * Attention tiling for this cache's steps: query rows per chunk and keys per block (0 = sized
     * by the score budget). Results do not depend on it beyond float rounding; tests use tiny
     * tiles.
     */
    public KvCache tiling(int queryChunk, int keyBlock) {
        if (queryChunk <= 0 || keyBlock < 0) {
            throw new IllegalArgumentException("tiling: queryChunk " + queryChunk + " must be > 0,"
                    + " keyBlock " + keyBlock + " >= 0");
        }
        this.queryChunk = queryChunk;
        this.keyBlock = keyBlock;
        return this;
    }

    /**
     * The attention implementation of this cache's steps (null: {@link
     * Attention.Implementation#fromSystemProperty}); tests compare them on one model.
     */
    public KvCache attention(Attention.Implementation implementation) {
        this.attention = implementation;
        return this;
    }

    public Decoder decoder() {
        return decoder;
    }

    public NDManager manager() {
        return manager;
    }

    /** Total slots: the base's plus this cache's own. */
    public int length() {
        return baseLength + length;
    }

    public int ownLength() {
        return length;
    }

    /**
     * Makes room for {@code n} more own slots (doubling, so decode appends stay amortised O(1)).
     */
    public void reserve(int n) {
        int need = length + n;
        if (need <= capacity) {
            return;
        }
        int cap = Math.max(need, capacity * 2);
        DecoderConfig c = decoder.config();
        Shape shape = new Shape(c.numKeyValueHeads(), cap, c.headDim());
        for (int l = 0; l < keys.length; l++) {
            NDArray k = manager.zeros(shape, decoder.dtype());
            NDArray v = manager.zeros(shape, decoder.dtype());
            if (keys[l] != null) {
                if (length > 0) {
                    NDIndex filled = new NDIndex(":, 0:{}, :", length);
                    try (NDManager tmp = manager.newSubManager()) {
                        k.set(filled, keys[l].get(tmp, filled));
                        v.set(filled, values[l].get(tmp, filled));
                    }
                }
                keys[l].close();
                values[l].close();
            }
            keys[l] = k;
            values[l] = v;
        }
        capacity = cap;
    }

    /**
     * The segments layer {@code layer} attends to: the base's, then own slots {@code [0, upTo)};
     * views owned by {@code scope}.
     */
    public List<KvSegment> segments(NDManager scope, int layer, int upTo) {
        List<KvSegment> out = new ArrayList<>();
        if (base != null) {
            out.addAll(base.segments(scope, layer, base.ownLength()));
        }
        if (upTo > 0) {
            out.add(KvSegment.ofSlots(scope, keys[layer], values[layer], 0, upTo));
        }
        return out;
    }

    /**
     * The attention step for {@code n} new tokens at the next contiguous positions: rotates q and
     * k, writes k/v into slots {@code [ownLength, ownLength + n)}, attends causally (with the
     * layer's sliding window). Call {@link #advance} after the last layer.
     */
    public AttentionStep step(NDManager scope, int n) {
        reserve(n);
        int start = length();
        int[] positions = Rope.range(start, n);
        Rope rope = decoder.rope();
        DecoderConfig c = decoder.config();
        Rope.Table table = rope.table(scope, positions, decoder.dtype(), decoder.device());
        return (layer, q, k, v) -> {
            NDArray qr = rope.apply(q, table);
            NDArray kr = rope.apply(k, table);
            NDIndex slots = new NDIndex(":, {}:{}, :", length, length + n);
            keys[layer].set(slots, kr.transpose(1, 0, 2));
            values[layer].set(slots, v.transpose(1, 0, 2));
            List<KvSegment> segs = segments(scope, layer, length + n);
            return Attention.attend(qr, segs, Mask.causal(start, c.window(layer)), queryChunk,
                    keyBlock, attention != null ? attention
                            : Attention.Implementation.fromSystemProperty());
        };
    }

    /** Marks the {@code n} slots written by the last {@link #step} as filled. */
    public void advance(int n) {
        if (length + n > capacity) {
            throw new IllegalStateException("advance(" + n + ") past capacity " + capacity);
        }
        length += n;
    }

    /** Own keys of {@code layer}, slots [0, ownLength), as a view owned by {@code scope}. */
    public NDArray ownKeys(NDManager scope, int layer) {
        return keys[layer].get(scope, new NDIndex(":, 0:{}, :", length));
    }

    public NDArray ownValues(NDManager scope, int layer) {
        return values[layer].get(scope, new NDIndex(":, 0:{}, :", length));
    }

    /**
     * Copies {@code k} and/or {@code v [kvHeads, n, headDim]} (either may be null) into own slots
     * {@code [from, from + n)} of {@code layer}, within the reserved capacity (for import).
     */
    public void write(int layer, int from, NDArray k, NDArray v) {
        long n = (k != null ? k : v).getShape().get(1);
        if (from + n > capacity) {
            throw new IllegalArgumentException("write of " + n + " slots at " + from
                    + " exceeds capacity " + capacity + "; reserve first");
        }
        NDIndex slots = new NDIndex(":, {}:{}, :", from, from + n);
        if (k != null) {
            keys[layer].set(slots, k);
        }
        if (v != null) {
            values[layer].set(slots, v);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
