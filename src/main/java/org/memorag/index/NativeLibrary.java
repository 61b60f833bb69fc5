package org.memorag.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the FAISS JNI shim {@code libfaissjni.so} once per JVM: from the path in system property
 * {@value #OVERRIDE_PROPERTY} when set, otherwise from the jar resource
 * {@code native/linux-x86_64/libfaissjni.so}, extracted to a temporary file under
 * {@code java.io.tmpdir} (deleted right after loading; Linux keeps the mapping).
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
    public static final String SUPPORTED_PLATFORM = "linux-x86_64";

    private static final Logger log = LoggerFactory.getLogger(NativeLibrary.class);
    private static final String LIBRARY_FILE = "libfaissjni.so";
    private static final String RUNTIME_HINT = "The shim needs BLAS, LAPACK and OpenMP at run time:"
            + " on Debian/Ubuntu install libopenblas0 (or libblas3), liblapack3, libgomp1 and"
            + " libstdc++6 (apt-get install libopenblas0 liblapack3 libgomp1), or build the shim"
            + " for this machine with src/main/native/build.sh and pass -D" + OVERRIDE_PROPERTY
            + "=/path/to/libfaissjni.so";

    private NativeLibrary() {}

    /** Initialised on first use, so the library loads once; holds why loading failed, or null. */
    private static final class Holder {
        static final String FAILURE = tryLoad(System.getProperty(OVERRIDE_PROPERTY),
                System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
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
        String os = osName.toLowerCase(Locale.ROOT).startsWith("linux") ? "linux"
                : osName.toLowerCase(Locale.ROOT).replace(' ', '_');
        String arch = osArch.equals("amd64") || osArch.equals("x86_64") ? "x86_64" : osArch;
        return os + "-" + arch;
    }

    /** Loads the library; returns null on success, else a message saying what failed and why. */
    static String tryLoad(String override, String osName, String osArch) {
        String platform = platform(osName, osArch);
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override).toAbsolutePath();
            if (!Files.isRegularFile(path)) {
                return "-D" + OVERRIDE_PROPERTY + "=" + override + " does not name a file; point it"
                        + " at a libfaissjni.so built by src/main/native/build.sh, or unset it to"
                        + " use the copy inside the jar";
            }
            return load(path, platform, "-D" + OVERRIDE_PROPERTY);
        }
        if (!platform.equals(SUPPORTED_PLATFORM)) {
            return "the jar carries the FAISS JNI library only for " + SUPPORTED_PLATFORM
                    + ", but this JVM runs on " + platform + " (os.name=" + osName + ", os.arch="
                    + osArch + "); build src/main/native/build.sh on this platform and pass -D"
                    + OVERRIDE_PROPERTY + "=/path/to/libfaissjni.so";
        }
        String resource = "/native/" + platform + "/" + LIBRARY_FILE;
        Path extracted;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "resource " + resource + " is not on the class path (was the jar built with"
                        + " -DskipNative=true?); rebuild with the native step or pass -D"
                        + OVERRIDE_PROPERTY + "=/path/to/libfaissjni.so";
            }
            Path tmpdir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            extracted = Files.createTempFile(tmpdir, "libfaissjni-", ".so");
            Files.copy(in, extracted, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            return "could not extract " + resource + " into java.io.tmpdir="
                    + System.getProperty("java.io.tmpdir") + ": " + e + "; point java.io.tmpdir at"
                    + " a writable directory or pass -D" + OVERRIDE_PROPERTY;
        }
        try {
            return load(extracted, platform, "jar resource " + resource);
        } finally {
            try {
                Files.deleteIfExists(extracted);
            } catch (IOException e) {
                log.warn("could not delete the extracted FAISS library file={}: {}", extracted,
                        e.toString());
            }
        }
    }

    private static String load(Path path, String platform, String source) {
        try {
            System.load(path.toString());
            log.debug("loaded FAISS JNI library from {} platform={}", source, platform);
            return null;
        } catch (UnsatisfiedLinkError e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("already loaded in another classloader")) {
                return "the FAISS JNI library is already loaded by another class loader (" + why
                        + "); a JVM binds a JNI library to one loader, so keep org.memorag.index on"
                        + " the application class path (e.g. no spark.{driver,executor}"
                        + ".userClassPathFirst, or one memorag jar per JVM)";
            }
            return "could not load the FAISS JNI library (" + source + ", " + path + ") on "
                    + platform + ": " + why + ". " + RUNTIME_HINT;
        }
    }
}
