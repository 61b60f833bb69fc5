package org.memorag.engine.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * Scaled dot-product attention with grouped-query heads over a list of key/value segments.
 *
 * <p>Float32 on the CPU with a causal or all-visible mask runs on the fused native kernel ({@link
 * NativeAttention}) when the CPU has AVX-512 or AVX2, except one-row steps over more than {@link
 * #NATIVE_DECODE_MAX_KEYS} keys.
 * Everything else (GPU, fp16, masks given as data), and everything when
 * {@value #IMPLEMENTATION_PROPERTY}=djl, runs on DJL ops: queries are processed {@link
 * #QUERY_CHUNK} rows at a time and keys in blocks sized so one score block stays under {@link
 * #SCORE_BUDGET} floats, with an online (running max / running sum) softmax in float32 across
 * blocks. Either way a 128K-token prompt never materialises a 128K x 128K score matrix. Blocks the
 * mask hides entirely are skipped; fully visible blocks need no mask.
 */
public final class Attention {
    /** Query rows per chunk: 64 keeps score blocks of long prompts cache-sized (EngineProfile). */
    public static final int QUERY_CHUNK = 64;
    /** Upper bound on floats of one score block [heads, queryRows, keys]. */
    public static final long SCORE_BUDGET = 1L << 24;

    /** System property choosing the implementation: auto (default), djl, native, avx2, portable. */
    public static final String IMPLEMENTATION_PROPERTY = "memorag.attention";

    /** Which implementation runs attention. */
    public enum Implementation {
        /**
         * The native kernel where it applies, its library loaded and the CPU has AVX-512 or AVX2,
         * else DJL ops.
         */
        AUTO,
        /** DJL ops only. */
        DJL,
        /**
         * The native kernel (AVX-512, else AVX2, else portable loops); an error where it does not
         * apply.
         */
        NATIVE,
        /** The native kernel's AVX2 loops (for tests and comparisons on AVX-512 machines). */
        NATIVE_AVX2,
        /** The native kernel's portable C++ loops (for tests and comparisons). */
        NATIVE_PORTABLE;

        /** The value of {@value #IMPLEMENTATION_PROPERTY}, or AUTO when unset. */
        public static Implementation fromSystemProperty() {
            String v = System.getProperty(IMPLEMENTATION_PROPERTY, "auto").trim()
                    .toLowerCase(java.util.Locale.ROOT);
            return switch (v) {
                case "auto", "" -> AUTO;
                case "djl" -> DJL;
                case "native" -> NATIVE;
                case "avx2" -> NATIVE_AVX2;
                case "portable" -> NATIVE_PORTABLE;
                default -> throw new IllegalArgumentException("-D" + IMPLEMENTATION_PROPERTY + "="
                        + v + ": use auto (the default), djl, native, avx2 or portable");
            };
        }
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Attention.class);
    private static final java.util.concurrent.atomic.AtomicBoolean warnedUnavailable =
            new java.util.concurrent.atomic.AtomicBoolean();

    private Attention() {}

    private record Block(KvSegment seg, int from, int to, int k0, int k1, Mask.Visibility vis) {}

    /**
     * {@code q [n, heads, headDim]} (already rotated), segments of {@code [kvHeads, t, headDim]};
     * query head h uses kv head {@code h / (heads / kvHeads)} (HF repeat_kv). Returns
     * {@code [n, heads * headDim]} in q's dtype, owned by q's manager.
     */
    public static NDArray attend(NDArray q, List<KvSegment> segments, Mask mask) {
        return attend(q, segments, mask, QUERY_CHUNK, 0);
    }

    /**
     * As {@link #attend(NDArray, List, Mask)} with explicit tiling: {@code queryChunk} query rows
     * per chunk, {@code keyBlock} keys per block (0 = sized from {@link #SCORE_BUDGET}).
     */
    public static NDArray attend(NDArray q, List<KvSegment> segments, Mask mask, int queryChunk,
            int keyBlock) {
        return attend(q, segments, mask, queryChunk, keyBlock, Implementation.fromSystemProperty());
    }

    /**
     * As {@link #attend(NDArray, List, Mask, int, int)} on the given implementation (the tiling
     * applies to DJL ops; the native kernel has its own).
     */
    public static NDArray attend(NDArray q, List<KvSegment> segments, Mask mask, int queryChunk,
            int keyBlock, Implementation implementation) {
        if (useNative(q, segments, mask, implementation)) {
            NativeAttention.Kernel kernel = switch (implementation) {
                case NATIVE_PORTABLE -> NativeAttention.Kernel.PORTABLE;
                case NATIVE_AVX2 -> NativeAttention.Kernel.AVX2;
                default -> NativeAttention.Kernel.AUTO;
            };
            return NativeAttention.attend(q, segments, mask, kernel,
                    ai.djl.pytorch.jni.JniUtils.getNumThreads());
        }
        return attendOnDjl(q, segments, mask, queryChunk, keyBlock);
    }

    private static boolean useNative(NDArray q, List<KvSegment> segments, Mask mask,
            Implementation implementation) {
        switch (implementation) {
            case DJL:
                return false;
            case NATIVE:
            case NATIVE_AVX2:
            case NATIVE_PORTABLE:
                if (!NativeAttention.accepts(q, segments, mask)) {
                    throw new IllegalArgumentException("native attention takes float32 on the CPU"
                            + " with a causal or all-visible mask; got q " + q.getDataType()
                            + " on " + q.getDevice() + (mask.rule().isEmpty()
                                    ? " and a mask given as data" : "")
                            + ". Use implementation auto or djl");
                }
                return true;
            default:
                if (!NativeAttention.accepts(q, segments, mask) || longDecodeStep(q, segments)) {
                    return false;
                }
                if (!NativeAttention.available()) {
                    if (warnedUnavailable.compareAndSet(false, true)) {
                        log.warn("native attention unavailable, attention runs on DJL ops (slower"
                                + " on long prompts): {}", NativeAttention.unavailableReason());
                    }
                    return false;
                }
                // The portable loops are slower than DJL ops (AttentionBench, 4096 keys x 2048
                // rows: 723 vs 191 ms), so without AVX-512 or AVX2 auto keeps DJL ops.
                return NativeAttention.hasVectorKernel();
        }
    }

    /**
     * Above this many keys a one-row step (decode) streams the cache faster on DJL ops.
     * AttentionBench, 12 heads of 64 on 4 kv heads, 2 threads: at 16K keys DJL 1.57 ms, kernel
     * 2.28; at 4K the kernel wins (0.55 vs 0.96 ms), at 512 by 2.4x. Both are bound by reading the
     * cache there.
     */
    static final int NATIVE_DECODE_MAX_KEYS = 8192;

    private static boolean longDecodeStep(NDArray q, List<KvSegment> segments) {
        if (q.getShape().get(0) != 1) {
            return false;
        }
        long keys = 0;
        for (KvSegment s : segments) {
            keys += s.length();
        }
        return keys > NATIVE_DECODE_MAX_KEYS;
    }

    private static NDArray attendOnDjl(NDArray q, List<KvSegment> segments, Mask mask,
            int queryChunk, int keyBlock) {
        if (queryChunk <= 0 || keyBlock < 0) {
            throw new IllegalArgumentException("attention tiling: queryChunk " + queryChunk
                    + " must be > 0, keyBlock " + keyBlock + " >= 0");
        }
        NDManager out = q.getManager();
        int n = (int) q.getShape().get(0);
        int heads = (int) q.getShape().get(1);
        int d = (int) q.getShape().get(2);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("attention needs at least one key/value segment");
        }
        int kvHeads = (int) segments.get(0).keys().getShape().get(0);
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("attention: " + heads + " query heads for " + kvHeads
                    + " kv heads");
        }
        int groups = heads / kvHeads;
        float scale = (float) (1.0 / Math.sqrt(d));
        List<NDArray> chunks = new ArrayList<>();
        for (int c0 = 0; c0 < n; c0 += queryChunk) {
            int c1 = Math.min(n, c0 + queryChunk);
            try (NDManager scope = out.newSubManager()) {
                NDArray qc = q.get(scope, new NDIndex("{}:{}", c0, c1));
                NDArray r = attendChunk(scope, qc, segments, mask, c0, c1, kvHeads, groups, d,
                        scale, keyBlock);
                r.attach(out);
                chunks.add(r);
            }
        }
        return chunks.size() == 1 ? chunks.get(0) : ai.djl.ndarray.NDArrays.concat(
                new ai.djl.ndarray.NDList(chunks), 0);
    }

    private static NDArray attendChunk(NDManager scope, NDArray qc, List<KvSegment> segments,
            Mask mask, int c0, int c1, int kvHeads, int groups, int d, float scale,
            int fixedBlock) {
        int c = c1 - c0;
        DataType dtype = qc.getDataType();
        // [c, H, D] -> [H, c, D] -> [Hkv, g*c, D]: the g query heads of one kv head side by side
        NDArray qh = qc.transpose(1, 0, 2).reshape(kvHeads, (long) groups * c, d).mul(scale);
        long heads = (long) kvHeads * groups;
        int keyBlock = fixedBlock > 0
                ? fixedBlock : (int) Math.max(256, SCORE_BUDGET / (heads * c));
        List<Block> blocks = new ArrayList<>();
        int[] range = mask.keyRange(c0, c1);
        int base = 0;
        for (KvSegment seg : segments) {
            int len = seg.length();
            // only keys this chunk can see: a causal chunk ends at its last row's own key
            int start = Math.max(0, range[0] - base);
            int end = (int) Math.min(len, (long) range[1] - base);
            for (int from = start; from < end; from += keyBlock) {
                int to = Math.min(end, from + keyBlock);
                Mask.Visibility vis = mask.classify(c0, c1, base + from, base + to);
                if (vis != Mask.Visibility.NONE) {
                    blocks.add(new Block(seg, from, to, base + from, base + to, vis));
                }
            }
            base += len;
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("attention: query rows " + c0 + ".." + (c1 - 1)
                    + " see no key at all (mask hides all " + base + " keys)");
        }
        NDArray acc;
        if (blocks.size() == 1) {
            Block b = blocks.get(0);
            NDArray s = scores(scope, qh, b, mask, c0, c1, groups, c);
            NDArray p = s.softmax(-1);
            NDArray v = slice(scope, b.seg().values(), b);
            acc = p.toType(dtype, false).matMul(v).toType(DataType.FLOAT32, false);
        } else {
            NDArray m = null;
            NDArray l = null;
            acc = null;
            for (Block b : blocks) {
                NDArray s = scores(scope, qh, b, mask, c0, c1, groups, c);
                NDArray bm = s.max(new int[] {-1}, true);
                NDArray mNew = m == null ? bm : m.maximum(bm);
                NDArray p = s.sub(mNew).exp();
                NDArray pv = p.toType(dtype, false).matMul(slice(scope, b.seg().values(), b))
                        .toType(DataType.FLOAT32, false);
                NDArray ps = p.sum(new int[] {-1}, true);
                if (m == null) {
                    l = ps;
                    acc = pv;
                } else {
                    NDArray corr = m.sub(mNew).exp();
                    l = l.mul(corr).add(ps);
                    acc = acc.mul(corr).add(pv);
                }
                m = mNew;
            }
            acc = acc.div(l);
        }
        // [Hkv, g*c, D] -> [H, c, D] -> [c, H, D] -> [c, H*D]
        return acc.toType(dtype, false).reshape(heads, c, d).transpose(1, 0, 2)
                .reshape(c, heads * d);
    }

    /** Float32 scores {@code [Hkv, g*c, block]} with the block's mask added when partial. */
    private static NDArray scores(NDManager scope, NDArray qh, Block b, Mask mask, int c0, int c1,
            int groups, int c) {
        NDArray k = slice(scope, b.seg().keys(), b);
        NDArray s = qh.matMul(k.transpose(0, 2, 1)).toType(DataType.FLOAT32, false);
        if (b.vis() == Mask.Visibility.PARTIAL) {
            // Mask only the keys whose visibility varies (a causal chunk's diagonal, a window's
            // edge), added in place into that slice of the scores: masking the whole block cost a
            // full extra pass over scores of 16K-key rows.
            int[] varying = varyingKeys(mask, c0, c1, b.k0(), b.k1());
            NDArray mk = mask.block(scope, c0, c1, varying[0], varying[1]);
            if (!mk.getDevice().equals(s.getDevice())) {
                mk = mk.toDevice(s.getDevice(), false);
            }
            long kvHeads = s.getShape().get(0);
            int t = b.to() - b.from();
            NDArray byGroup = s.reshape(kvHeads, groups, c, t);   // a view of s
            byGroup.get(scope, new NDIndex(":, :, :, {}:{}", varying[0] - b.k0(),
                    varying[1] - b.k0())).addi(mk);
        }
        return s;
    }

    /** Keys probed at a time when narrowing a partial block to the keys its mask changes. */
    private static final int MASK_PROBE = 64;

    /**
     * The smallest {@code [lo, hi)} inside {@code [k0, k1)} outside which the mask hides nothing
     * from queries {@code [q0, q1)}, probed {@link #MASK_PROBE} keys at a time.
     */
    static int[] varyingKeys(Mask mask, int q0, int q1, int k0, int k1) {
        int lo = -1;
        int hi = -1;
        for (int p0 = k0; p0 < k1; p0 += MASK_PROBE) {
            int p1 = Math.min(k1, p0 + MASK_PROBE);
            if (mask.classify(q0, q1, p0, p1) != Mask.Visibility.ALL) {
                if (lo < 0) {
                    lo = p0;
                }
                hi = p1;
            }
        }
        return lo < 0 ? new int[] {k0, k1} : new int[] {lo, hi};
    }

    private static NDArray slice(NDManager scope, NDArray kv, Block b) {
        // always a view owned by this call's scope: never attach anything to the cache's manager
        return kv.get(scope, new NDIndex(":, {}:{}", b.from(), b.to()));
    }
}
