package org.memorag.index;

import org.memorag.nativelib.JarLibrary;

/**
 * Loads the FAISS JNI shim {@code libfaissjni.so} once per JVM: from the path in system property
 * {@value #OVERRIDE_PROPERTY} when set, otherwise from the jar resource
 * {@code native/linux-x86_64/libfaissjni.so} ({@link JarLibrary}).
 *
 * <p>The shim links FAISS statically but needs BLAS, LAPACK, OpenMP and the C++ runtime on the
 * machine; a failed load says which platform was detected and which packages provide them. Load
 * it after the PyTorch engine when both run in one JVM, so that both share one OpenMP runtime
 * (STACK_NOTES.md).
 */
public final class NativeLibrary {
    /** System property naming a {@code libfaissjni.so} to load instead of the jar's copy. */
    public static final String OVERRIDE_PROPERTY = "memorag.faiss.library";
    /** The platform the jar carries a shim for. */
    public static final String SUPPORTED_PLATFORM = JarLibrary.SUPPORTED_PLATFORM;

    private static final JarLibrary LIBRARY = new JarLibrary("libfaissjni.so",
            "the FAISS JNI library", OVERRIDE_PROPERTY, "The shim needs BLAS, LAPACK and OpenMP at"
            + " run time: on Debian/Ubuntu install libopenblas0 (or libblas3), liblapack3, libgomp1"
            + " and libstdc++6 (apt-get install libopenblas0 liblapack3 libgomp1), or build the"
            + " shim for this machine with src/main/native/build.sh and pass -D"
            + OVERRIDE_PROPERTY + "=/path/to/libfaissjni.so");

    private NativeLibrary() {}

    /** Initialised on first use, so the library loads once; holds why loading failed, or null. */
    private static final class Holder {
        static final String FAILURE = LIBRARY.tryLoad();
    }

    /**
     * Loads the shim unless this JVM already has; throws UnsatisfiedLinkError (every time, with
     * the same explanation) when it cannot be loaded.
     */
    public static void ensureLoaded() {
        String failure = Holder.FAILURE;
        if (failure != null) {
            throw new UnsatisfiedLinkError(failure);
        }
    }

    /** The platform (the jar's {@code native/<platform>/} folder name) of os.name and os.arch. */
    static String platform(String osName, String osArch) {
        return JarLibrary.platform(osName, osArch);
    }

    /** Loads the library; returns null on success, else a message saying what failed and why. */
    static String tryLoad(String override, String osName, String osArch) {
        return LIBRARY.tryLoad(override, osName, osArch);
    }
}
