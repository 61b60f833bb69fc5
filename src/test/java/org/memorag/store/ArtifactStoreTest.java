package org.memorag.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.rag.ErrorCode;
import org.memorag.rag.MemoragException;
import org.memorag.rag.artifact.ChunkRecord;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.artifact.Manifest;
import org.memorag.rag.prompt.Language;

class ArtifactStoreTest {
    private static final String SHA = "ab".repeat(32);
    private static final String FP = "m0d3lf1ngerpr1nt";

    @TempDir
    Path dir;

    private static DocArtifacts doc(String id, BytesMemory memory) {
        List<ChunkRecord> chunks = new ArrayList<>();
        chunks.add(new ChunkRecord(0, "First chunk, with ünïcödé and 中文.", 0, 33, 12));
        chunks.add(new ChunkRecord(1, "Second chunk.", 35, 48, 3));
        byte[] index = new byte[777];
        new Random(3).nextBytes(index);
        return new DocArtifacts(id, SHA, FP, Language.EN, memory == null ? "none" : "longllm",
                memory, Map.of("memory", "abc", "embedder", "def"), Map.of("chunk.tokens.en", "512"),
                index, chunks, 48, 15, 1234);
    }

    private static BytesMemory memory() {
        byte[] b = new byte[4096];
        new Random(5).nextBytes(b);
        return new BytesMemory(b);
    }

    private ArtifactStore store() {
        return ArtifactStore.create(dir.resolve("store").toUri().toString(), new Configuration());
    }

    private Path versionDir(String id) {
        return dir.resolve("store/docs").resolve(DocKey.of(id).key())
                .resolve(SHA.substring(0, 16) + "-" + FP);
    }

    @Test
    void savedArtifactsLoadBackEqual() throws IOException {
        try (ArtifactStore s = store(); DocArtifacts d = doc("book/1", memory())) {
            assertFalse(s.isCommitted("book/1", d.version()));
            Manifest m = s.save(d);
            assertTrue(s.isCommitted("book/1", d.version()));
            assertEquals(List.of(ArtifactStore.CHUNKS, ArtifactStore.INDEX, ArtifactStore.MEMORY),
                    m.files().keySet().stream().sorted().toList());
            try (DocArtifacts back = s.load("book/1", d.version(), BytesMemory::read)) {
                assertEquals(d.chunks(), back.chunks());
                assertArrayEquals(d.indexBytes(), back.indexBytes());
                assertEquals(d.memory(), back.memory());
                assertEquals(d.models(), back.models());
                assertEquals(d.settings(), back.settings());
                assertEquals(48, back.nChars());
                assertEquals(1234, back.memorizeMs());
                assertEquals(Language.EN, back.language());
            }
            assertEquals(List.of(d.version()), s.committedVersions("book/1"));
            assertEquals(d.version(), s.latestVersion("book/1", FP).orElseThrow());
            assertTrue(s.latestVersion("book/1", "otherfp").isEmpty());
            // the layout of DESIGN.md §5, _COMMITTED last and no temporary folder left
            Path v = versionDir("book/1");
            for (String f : List.of("memory.safetensors", "index.faiss", "chunks.parquet",
                    "manifest.json", "_COMMITTED")) {
                assertTrue(Files.exists(v.resolve(f)), f);
            }
            try (var siblings = Files.list(v.getParent())) {
                assertEquals(1, siblings.count(), "only the version folder remains");
            }
        }
    }

    @Test
    void documentWithoutMemoryHasNoMemoryFile() throws IOException {
        try (ArtifactStore s = store(); DocArtifacts d = doc("plain", null)) {
            s.save(d);
            assertFalse(Files.exists(versionDir("plain").resolve("memory.safetensors")));
            try (DocArtifacts back = s.load("plain", d.version(), null)) {
                assertNull(back.memory());
                assertEquals(d.chunks(), back.chunks());
            }
        }
    }

    @Test
    void savingACommittedVersionAgainKeepsIt() throws IOException {
        try (ArtifactStore s = store(); DocArtifacts d = doc("x", memory())) {
            s.save(d);
            long before = Files.getLastModifiedTime(versionDir("x").resolve("_COMMITTED"))
                    .toMillis();
            Manifest again = s.save(d);
            assertEquals(d.version(), again.version());
            assertEquals(before, Files.getLastModifiedTime(versionDir("x").resolve("_COMMITTED"))
                    .toMillis());
        }
    }

    @Test
    void flippedByteInIndexIsReportedWithTheFile() throws IOException {
        try (ArtifactStore s = store(); DocArtifacts d = doc("x", memory())) {
            s.save(d);
            flipByte(versionDir("x").resolve("index.faiss"), 100);
            MemoragException e = assertThrows(MemoragException.class,
                    () -> s.load("x", d.version(), BytesMemory::read));
            assertEquals(ErrorCode.CORRUPT_ARTIFACT, e.code());
            assertTrue(e.getMessage().contains("index.faiss") && e.getMessage().contains("sha256"),
                    e.getMessage());
        }
    }

    @Test
    void flippedByteInMemoryIsCaughtAndTheMemoryClosed() throws IOException {
        try (ArtifactStore s = store(); DocArtifacts d = doc("x", memory())) {
            s.save(d);
            flipByte(versionDir("x").resolve("memory.safetensors"), 2000);
            List<BytesMemory> read = new ArrayList<>();
            MemoragException e = assertThrows(MemoragException.class,
                    () -> s.load("x", d.version(), in -> {
                        BytesMemory m = BytesMemory.read(in);
                        read.add(m);
                        return m;
                    }));
            assertEquals(ErrorCode.CORRUPT_ARTIFACT, e.code());
            assertTrue(e.getMessage().contains("memory.safetensors"), e.getMessage());
            assertTrue(read.get(0).closed, "a memory that failed its checksum is closed");
        }
    }

    @Test
    void truncatedMemorySaysTruncated() throws IOException {
        try (ArtifactStore s = store(); DocArtifacts d = doc("x", memory())) {
            s.save(d);
            try (RandomAccessFile f = new RandomAccessFile(
                    versionDir("x").resolve("memory.safetensors").toFile(), "rw")) {
                f.setLength(1000);
            }
            MemoragException e = assertThrows(MemoragException.class,
                    () -> s.load("x", d.version(), BytesMemory::read));
            assertEquals(ErrorCode.CORRUPT_ARTIFACT, e.code());
            assertTrue(e.getMessage().contains("truncated")
                    && e.getMessage().contains("1000 bytes"), e.getMessage());
        }
    }

    @Test
    void missingChunksFileIsNamed() throws IOException {
        try (ArtifactStore s = store(); DocArtifacts d = doc("x", memory())) {
            s.save(d);
            Files.delete(versionDir("x").resolve("chunks.parquet"));
            MemoragException e = assertThrows(MemoragException.class,
                    () -> s.load("x", d.version(), BytesMemory::read));
            assertTrue(e.getMessage().contains("chunks.parquet")
                    && e.getMessage().contains("missing"), e.getMessage());
        }
    }

    @Test
    void editedManifestFailsAgainstTheCommitMarker() throws IOException {
        try (ArtifactStore s = store(); DocArtifacts d = doc("x", memory())) {
            s.save(d);
            Path mf = versionDir("x").resolve("manifest.json");
            Files.writeString(mf, Files.readString(mf).replace("\"n_chunks\": 2",
                    "\"n_chunks\": 3"));
            MemoragException e = assertThrows(MemoragException.class,
                    () -> s.load("x", d.version(), BytesMemory::read));
            assertEquals(ErrorCode.CORRUPT_ARTIFACT, e.code());
            assertTrue(e.getMessage().contains("_COMMITTED"), e.getMessage());
        }
    }

    @Test
    void versionWithoutCommitMarkerDoesNotExist() throws IOException {
        try (ArtifactStore s = store(); DocArtifacts d = doc("x", memory())) {
            s.save(d);
            Files.delete(versionDir("x").resolve("_COMMITTED"));
            assertFalse(s.isCommitted("x", d.version()));
            assertTrue(s.committedVersions("x").isEmpty());
            MemoragException e = assertThrows(MemoragException.class,
                    () -> s.load("x", d.version(), BytesMemory::read));
            assertEquals(ErrorCode.UNKNOWN_DOC, e.code());
            // and saving again repairs it
            s.save(d);
            assertTrue(s.isCommitted("x", d.version()));
        }
    }

    @Test
    void unknownDocAndMissingStoreAreErrorsWithCodes() throws IOException {
        try (ArtifactStore s = store()) {
            assertTrue(s.committedVersions("never").isEmpty());
            MemoragException e = assertThrows(MemoragException.class,
                    () -> s.readManifest("never", SHA.substring(0, 16) + "-" + FP));
            assertEquals(ErrorCode.UNKNOWN_DOC, e.code());
        }
        String missing = dir.resolve("no-such-store").toUri().toString();
        MemoragException e = assertThrows(MemoragException.class,
                () -> ArtifactStore.open(missing, new Configuration()));
        assertEquals(ErrorCode.STORE_NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("no-such-store"), e.getMessage());
    }

    @Test
    void chunksParquetKeepsUtf8Text() throws IOException {
        List<ChunkRecord> chunks = List.of(new ChunkRecord(0, "第一章 “引号” — é", 0, 14, 9));
        assertEquals(chunks, ChunksParquet.fromBytes(ChunksParquet.toBytes(chunks), "mem"));
        byte[] bytes = ChunksParquet.toBytes(chunks);
        assertEquals("PAR1", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        assertThrows(IOException.class, () -> ChunksParquet.fromBytes(new byte[100], "junk"));
    }

    private static void flipByte(Path file, int offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x5A);
        }
    }
}
