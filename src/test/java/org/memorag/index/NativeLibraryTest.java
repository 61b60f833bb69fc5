package org.memorag.index;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the shim: the jar copy loads, and each way loading can fail explains itself. */
class NativeLibraryTest {

    @Test
    void loadsFromTheJarResourceAndLeavesNoFileBehind() throws IOException {
        assertDoesNotThrow(NativeLibrary::ensureLoaded);
        assertDoesNotThrow(NativeLibrary::ensureLoaded);   // second call: already loaded
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("libfaissjni-")),
                    "extracted library left in " + tmp);
        }
    }

    @Test
    void namesPlatforms() {
        assertEquals("linux-x86_64", NativeLibrary.platform("Linux", "amd64"));
        assertEquals("linux-aarch64", NativeLibrary.platform("Linux", "aarch64"));
        assertEquals("mac_os_x-aarch64", NativeLibrary.platform("Mac OS X", "aarch64"));
    }

    @Test
    void unsupportedPlatformNamesItAndTheOverride() {
        String why = NativeLibrary.tryLoad(null, "Mac OS X", "aarch64");
        assertNotNull(why);
        assertTrue(why.contains("mac_os_x-aarch64") && why.contains("only for linux-x86_64")
                && why.contains("-Dmemorag.faiss.library="), why);
    }

    @Test
    void overrideThatIsNoFileIsNamed(@TempDir Path dir) {
        String missing = dir.resolve("nope.so").toString();
        String why = NativeLibrary.tryLoad(missing, "Linux", "amd64");
        assertNotNull(why);
        assertTrue(why.contains("-Dmemorag.faiss.library=" + missing)
                && why.contains("does not name a file"), why);
    }

    @Test
    void unloadableLibraryNamesPlatformAndRuntimePackages(@TempDir Path dir) throws IOException {
        // an ELF file that dlopen refuses (the java launcher, an executable): loading fails cleanly
        Path notLibrary = Files.copy(Path.of(System.getProperty("java.home"), "bin", "java"),
                dir.resolve("libfaissjni.so"));
        String why = NativeLibrary.tryLoad(notLibrary.toString(), "Linux", "amd64");
        assertNotNull(why);
        for (String part : new String[] {"linux-x86_64", notLibrary.toString(), "libopenblas0",
                "libblas3", "liblapack3", "libgomp1", "build.sh"}) {
            assertTrue(why.contains(part), "message lacks '" + part + "': " + why);
        }
    }
}
