package org.memorag.engine.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.List;
import org.memorag.nativelib.JarLibrary;

/**
 * Fused float32 CPU attention in our native kernel library ({@code src/main/native/kernels}): each
 * tile of 64 query positions of one kv head walks the keys in blocks of 64 with an online softmax,
 * so scores stay in L1/L2 and no per-block framework ops are paid. It reads q, the cache and writes
 * the output in place through PyTorch's own memory. {@link Attention} sends it what it accepts
 * ({@link #accepts}): float32 on the CPU with a causal or all-visible mask; everything else (GPU,
 * fp16, masks given as data) stays on DJL ops.
 *
 * <p>The library is {@code libmemoragkernels.so} from the jar, or the file named by system property
 * {@value #LIBRARY_PROPERTY}. It needs OpenMP; it is loaded after the PyTorch engine (this class
 * makes sure), so its OpenMP binds to PyTorch's and its threads are PyTorch's.
 */
public final class NativeAttention {
    /** System property naming a {@code libmemoragkernels.so} to load instead of the jar's copy. */
    public static final String LIBRARY_PROPERTY = "memorag.kernels.library";

    /** Which implementation of the tile kernel runs (the native enum's order). */
    public enum Kernel {
        /** AVX-512 when this CPU has it, else AVX2, else the portable one. */
        AUTO,
        /** Plain C++ loops: any x86-64 CPU. */
        PORTABLE,
        /** AVX-512F/DQ intrinsics; fails on CPUs without them. */
        AVX512,
        /** AVX2 + FMA intrinsics; fails on CPUs without them. */
        AVX2
    }

    private static final JarLibrary LIBRARY = new JarLibrary("libmemoragkernels.so",
            "the engine's kernel library", LIBRARY_PROPERTY, "The kernel library needs OpenMP and"
            + " the C++ runtime: on Debian/Ubuntu apt-get install libgomp1 libstdc++6, or build it"
            + " for this machine with src/main/native/build.sh and pass -D" + LIBRARY_PROPERTY
            + "=/path/to/libmemoragkernels.so. Attention runs on DJL ops meanwhile.");

    private NativeAttention() {}

    private static final class Holder {
        static final String FAILURE = load();
        static final boolean AVX512 = FAILURE == null && avx512();
        static final boolean AVX2 = FAILURE == null && avx2();

        private static String load() {
            // PyTorch first, whoever asks: our libgomp.so.1 then binds to PyTorch's OpenMP instead
            // of loading a second runtime whose threads would spin against PyTorch's
            ai.djl.engine.Engine.getEngine("PyTorch");
            return LIBRARY.tryLoad();
        }
    }

    /** Null when the library is loaded, else why it could not be. */
    public static String unavailableReason() {
        return Holder.FAILURE;
    }

    public static boolean available() {
        return Holder.FAILURE == null;
    }

    /** Whether this CPU runs the AVX-512 kernel (false when the library is unavailable). */
    public static boolean hasAvx512() {
        return Holder.AVX512;
    }

    /** Whether this CPU runs the AVX2 kernel (false when the library is unavailable). */
    public static boolean hasAvx2() {
        return Holder.AVX2;
    }

    /** Whether one of the vector kernels runs here (faster than DJL ops; the portable is not). */
    public static boolean hasVectorKernel() {
        return Holder.AVX512 || Holder.AVX2;
    }

    /**
     * Whether the kernel takes these inputs: float32 q and segments on the CPU and a mask that is
     * a rule ({@link Mask#rule}). Says nothing of whether the library loaded.
     */
    static boolean accepts(NDArray q, List<KvSegment> segments, Mask mask) {
        if (!cpuFloat32(q) || mask.rule().isEmpty() || segments.isEmpty()) {
            return false;
        }
        for (KvSegment s : segments) {
            if (!cpuFloat32(s.keys()) || !cpuFloat32(s.values())) {
                return false;
            }
        }
        return true;
    }

    private static boolean cpuFloat32(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 && a.getDevice().equals(ai.djl.Device.cpu());
    }

    /**
     * {@code q [n, heads, headDim]} (rotated) against the segments under {@code mask} (which must
     * be {@linkplain #accepts accepted}); returns {@code [n, heads * headDim]} owned by q's
     * manager.
     */
    static NDArray attend(NDArray q, List<KvSegment> segments, Mask mask, Kernel kernel,
            int threads) {
        String failure = Holder.FAILURE;
        if (failure != null) {
            throw new UnsatisfiedLinkError(failure);
        }
        Mask.Rule rule = mask.rule().orElseThrow(() -> new IllegalArgumentException(
                "native attention takes causal or all-visible masks, not masks given as data"));
        int n = (int) q.getShape().get(0);
        int heads = (int) q.getShape().get(1);
        int d = (int) q.getShape().get(2);
        int kvHeads = (int) segments.get(0).keys().getShape().get(0);
        int count = segments.size();
        ByteBuffer[] keys = new ByteBuffer[count];
        ByteBuffer[] values = new ByteBuffer[count];
        long[] first = new long[count];
        long[] headStride = new long[count];
        int[] length = new int[count];
        NDManager m = q.getManager();
        try (NDManager scope = m.newSubManager()) {
            for (int i = 0; i < count; i++) {
                KvSegment s = segments.get(i);
                if (s.keys().getShape().get(0) != kvHeads || s.keys().getShape().get(2) != d) {
                    throw new IllegalArgumentException("attention segment " + i + ": keys "
                            + s.keys().getShape() + ", expected [" + kvHeads + ", length, " + d
                            + "] like segment 0 and q's head size");
                }
                length[i] = s.length();
                if (s.slots() != null) {
                    // in place: the cache's own buffers [kvHeads, capacity, headDim]
                    long capacity = s.slots().keyBuffer().getShape().get(1);
                    keys[i] = direct(s.slots().keyBuffer(), scope);
                    values[i] = direct(s.slots().valueBuffer(), scope);
                    first[i] = (long) s.slots().from() * d;
                    headStride[i] = capacity * d;
                } else {
                    keys[i] = direct(s.keys(), scope);
                    values[i] = direct(s.values(), scope);
                    headStride[i] = (long) length[i] * d;
                }
            }
            NDArray out = m.create(new Shape(n, (long) heads * d), DataType.FLOAT32);
            attend(kernel.ordinal(), threads, direct(q, scope), out.toByteBuffer(true), n, heads,
                    kvHeads, d, keys, values, first, headStride, length, rule.causal(),
                    rule.queryOffset(), rule.window(), (float) (1.0 / Math.sqrt(d)));
            return out;
        }
    }

    /**
     * A direct buffer over the array's memory; an array that is not contiguous is first copied
     * into one owned by {@code scope} (kept alive until the call returns).
     */
    private static ByteBuffer direct(NDArray a, NDManager scope) {
        NDArray view = a.get(scope, new ai.djl.ndarray.index.NDIndex());
        return view.toByteBuffer(true);
    }

    private static native boolean avx512();

    private static native boolean avx2();

    private static native void attend(int kernel, int threads, ByteBuffer q, ByteBuffer out,
            int n, int heads, int kvHeads, int headDim, ByteBuffer[] keys, ByteBuffer[] values,
            long[] firstFloats, long[] headStrides, int[] lengths, boolean causal,
            long queryOffset, int window, float scale);
}
