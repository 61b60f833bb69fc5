package org.memorag.index;

/**
 * JNI declarations of the FAISS shim ({@code src/main/native/faiss/faiss_jni.cpp}); nothing else.
 *
 * <p>A handle is a {@code faiss::Index*}. Arrays are row-major: {@code x} holds {@code n * d}
 * floats, {@code distances} and {@code labels} hold {@code n * k} entries, missing hits are
 * label -1. Every function throws {@link FaissException} for a C++ exception,
 * IllegalArgumentException for a wrong length and IllegalStateException for handle 0. Callers
 * ({@link FaissIndex}) load the library with {@link NativeLibrary#ensureLoaded()} first.
 */
final class FaissNative {
    private FaissNative() {}

    static native long create(int d, String description, int metric);

    static native void free(long handle);

    /** Indexes created or deserialized and not yet freed, in this JVM. */
    static native long liveIndexes();

    static native int dimension(long handle);

    static native long ntotal(long handle);

    static native int metric(long handle);

    static native boolean isTrained(long handle);

    static native String typeName(long handle);

    static native void train(long handle, int n, float[] x);

    static native void add(long handle, int n, float[] x);

    static native void search(long handle, int n, float[] x, int k, float[] distances,
            long[] labels);

    static native void reset(long handle);

    static native void setParameter(long handle, String name, double value);

    static native byte[] serialize(long handle);

    static native long deserialize(byte[] bytes);
}
