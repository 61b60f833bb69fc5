package org.memorag.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JNI library the jar carries under {@code native/<platform>/}: loaded from the path in a
 * system property when set, otherwise extracted from the jar to a temporary file under
 * {@code java.io.tmpdir} (deleted right after loading; Linux keeps the mapping). Shared by the
 * FAISS shim (org.memorag.index) and the engine's kernels (org.memorag.engine.ops), which know
 * nothing of each other.
 */
public final class JarLibrary {
    /** The platform the jar carries its libraries for. */
    public static final String SUPPORTED_PLATFORM = "linux-x86_64";

    private static final Logger log = LoggerFactory.getLogger(JarLibrary.class);

    private final String file;
    private final String what;
    private final String overrideProperty;
    private final String runtimeHint;

    /**
     * @param file the library's file name, e.g. {@code libfaissjni.so}
     * @param what what it is, for messages ("the FAISS JNI library")
     * @param overrideProperty the system property naming a file to load instead of the jar's copy
     * @param runtimeHint what the library needs at run time and how to get it, for failed loads
     */
    public JarLibrary(String file, String what, String overrideProperty, String runtimeHint) {
        this.file = file;
        this.what = what;
        this.overrideProperty = overrideProperty;
        this.runtimeHint = runtimeHint;
    }

    /** The platform (the jar's {@code native/<platform>/} folder name) of os.name and os.arch. */
    public static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT).startsWith("linux") ? "linux"
                : osName.toLowerCase(Locale.ROOT).replace(' ', '_');
        String arch = osArch.equals("amd64") || osArch.equals("x86_64") ? "x86_64" : osArch;
        return os + "-" + arch;
    }

    /** Loads with this JVM's override property, os.name and os.arch; null on success. */
    public String tryLoad() {
        return tryLoad(System.getProperty(overrideProperty), System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""));
    }

    /** Loads the library; returns null on success, else a message saying what failed and why. */
    public String tryLoad(String override, String osName, String osArch) {
        String platform = platform(osName, osArch);
        String useOverride = "-D" + overrideProperty + "=/path/to/" + file;
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override).toAbsolutePath();
            if (!Files.isRegularFile(path)) {
                return "-D" + overrideProperty + "=" + override + " does not name a file; point it"
                        + " at a " + file + " built by src/main/native/build.sh, or unset it to"
                        + " use the copy inside the jar";
            }
            return load(path, platform, "-D" + overrideProperty);
        }
        if (!platform.equals(SUPPORTED_PLATFORM)) {
            return "the jar carries " + what + " only for " + SUPPORTED_PLATFORM + ", but this JVM"
                    + " runs on " + platform + " (os.name=" + osName + ", os.arch=" + osArch
                    + "); build src/main/native/build.sh on this platform and pass " + useOverride;
        }
        String resource = "/native/" + platform + "/" + file;
        Path extracted;
        try (InputStream in = JarLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "resource " + resource + " is not on the class path (was the jar built with"
                        + " -DskipNative=true?); rebuild with the native step or pass "
                        + useOverride;
            }
            Path tmpdir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            String stem = file.endsWith(".so") ? file.substring(0, file.length() - 3) : file;
            extracted = Files.createTempFile(tmpdir, stem + "-", ".so");
            Files.copy(in, extracted, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            return "could not extract " + resource + " into java.io.tmpdir="
                    + System.getProperty("java.io.tmpdir") + ": " + e + "; point java.io.tmpdir at"
                    + " a writable directory or pass -D" + overrideProperty;
        }
        try {
            return load(extracted, platform, "jar resource " + resource);
        } finally {
            try {
                Files.deleteIfExists(extracted);
            } catch (IOException e) {
                log.warn("could not delete the extracted native library file={}: {}", extracted,
                        e.toString());
            }
        }
    }

    private String load(Path path, String platform, String source) {
        try {
            System.load(path.toString());
            log.debug("loaded {} from {} platform={}", what, source, platform);
            return null;
        } catch (UnsatisfiedLinkError e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("already loaded in another classloader")) {
                return what + " is already loaded by another class loader (" + why + "); a JVM"
                        + " binds a JNI library to one loader, so keep the memorag classes on the"
                        + " application class path (e.g. no spark.{driver,executor}"
                        + ".userClassPathFirst, or one memorag jar per JVM)";
            }
            return "could not load " + what + " (" + source + ", " + path + ") on " + platform
                    + ": " + why + ". " + runtimeHint;
        }
    }
}
