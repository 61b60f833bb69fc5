package org.memorag.rag.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoragConfigTest {
    private static final Path PROPERTIES = Path.of(
            System.getProperty("memorag.project.dir", "."), "conf/memorag.properties");

    @Test
    void defaultsAreTheEmbeddedCpuSetup() {
        MemoragConfig c = MemoragConfig.defaults();
        assertEquals("auto", c.get(ConfigKeys.MEMORY_MODE));
        assertEquals("extractive", c.get(ConfigKeys.GENERATOR_TYPE));
        assertEquals(3, c.get(ConfigKeys.RETRIEVE_HITS));
        assertEquals(256, c.get(ConfigKeys.TOKENS_FINAL));
        assertEquals(512, c.get(ConfigKeys.TOKENS_KEY_POINTS));
        assertFalse(c.isSet(ConfigKeys.MEMORY_MODEL));
    }

    @Test
    void overridesWinOverFilesWhichWinOverDefaults(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.properties");
        Files.writeString(file, "retrieve.hits=5\ntokens.final=100\n");
        MemoragConfig c = MemoragConfig.builder().set("tokens.final", "7").properties(file)
                .build();
        assertEquals(5, c.get(ConfigKeys.RETRIEVE_HITS), "file beats default");
        assertEquals(7, c.get(ConfigKeys.TOKENS_FINAL), "override beats file, whatever the order");
        assertEquals(128, c.get(ConfigKeys.TOKENS_RECALL), "default stays");
    }

    @Test
    void laterFileWinsOverEarlierFile(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.properties");
        Path b = dir.resolve("b.properties");
        Files.writeString(a, "retrieve.hits=5\n");
        Files.writeString(b, "retrieve.hits=9\n");
        assertEquals(9, MemoragConfig.builder().properties(a).properties(b).build()
                .get(ConfigKeys.RETRIEVE_HITS));
    }

    @Test
    void unknownKeySuggestsTheNearestOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoragConfig.builder().set("retrieve.hit", "3"));
        assertTrue(e.getMessage().contains("unknown config key 'retrieve.hit'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'retrieve.hits'"), e.getMessage());
    }

    @Test
    void unknownKeyInFileNamesTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.properties");
        Files.writeString(file, "generator.tpye=llm\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoragConfig.builder().properties(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'generator.type'"), e.getMessage());
    }

    @Test
    void badValuesNameTheKeyAndWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoragConfig.builder().set("memory.mode", "beakon"));
        assertTrue(e.getMessage().contains("memory.mode") && e.getMessage().contains("longllm"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MemoragConfig.builder().set("retrieve.hits", "three"));
        assertTrue(e.getMessage().contains("retrieve.hits") && e.getMessage().contains("integer"),
                e.getMessage());
    }

    @Test
    void aSecretPastedAsTokenEnvIsRejectedWithoutEchoingIt() {
        String secret = "sk-live-0123456789abcdef";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoragConfig.builder().set("generator.api.token_env", secret));
        assertFalse(e.getMessage().contains(secret), e.getMessage());
        assertTrue(e.getMessage().contains("environment variable"), e.getMessage());
    }

    @Test
    void missingFileSaysSo(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoragConfig.builder().properties(dir.resolve("nope.properties")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        MemoragConfig c = MemoragConfig.builder().set("retrieve.hits", "4").build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        try (ObjectInputStream in = new ObjectInputStream(
                new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(c, in.readObject());
        }
    }

    @Test
    void propertiesFileDocumentsEveryKeyWithItsDefault() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(PROPERTIES, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        assertEquals(new TreeSet<>(ConfigKeys.BY_NAME.keySet()),
                new TreeSet<>(p.stringPropertyNames()), "keys of " + PROPERTIES);
        for (Key<?> k : ConfigKeys.ALL) {
            assertEquals(k.defaultValue(), p.getProperty(k.name()),
                    "default of " + k.name() + " in " + PROPERTIES);
        }
        List<String> lines = Files.readAllLines(PROPERTIES, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.isBlank() && !line.startsWith("#")) {
                assertTrue(i > 0 && lines.get(i - 1).startsWith("# "),
                        "line " + (i + 1) + " of " + PROPERTIES + " (" + line
                                + ") needs a one-line comment above it");
            }
        }
        // and the file itself loads as a config
        Map<String, String> all = MemoragConfig.builder().properties(PROPERTIES).build().asMap();
        assertEquals(MemoragConfig.defaults().asMap(), all);
    }
}
