package org.memorag.nativelib;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages of a library that cannot load name the file, the property and the platform (loading
 * itself: NativeLibraryTest and NativeAttentionTest).
 */
class JarLibraryTest {
    private static final JarLibrary KERNELS = new JarLibrary("libmemoragkernels.so",
            "the engine's kernel library", "memorag.kernels.library", "HINT");

    @Test
    void otherPlatformsAreNamedWithTheOverride() {
        String why = KERNELS.tryLoad(null, "Linux", "aarch64");
        assertNotNull(why);
        assertTrue(why.contains("the engine's kernel library only for linux-x86_64")
                && why.contains("linux-aarch64")
                && why.contains("-Dmemorag.kernels.library=/path/to/libmemoragkernels.so"), why);
    }

    @Test
    void anOverrideThatIsNoFileIsNamed(@TempDir Path dir) {
        String missing = dir.resolve("nope.so").toString();
        String why = KERNELS.tryLoad(missing, "Linux", "amd64");
        assertNotNull(why);
        assertTrue(why.contains("-Dmemorag.kernels.library=" + missing)
                && why.contains("libmemoragkernels.so built by src/main/native/build.sh"), why);
    }
}
