package org.memorag.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.rag.ErrorCode;
import org.memorag.rag.MemoragException;
import org.memorag.rag.Pipeline;
import org.memorag.rag.TestEncoders;
import org.memorag.rag.TinyModels;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.config.MemoragConfig;
import org.memorag.rag.task.Answer;
import org.memorag.rag.task.Question;
import org.memorag.testing.TinyCheckpoint;

/**
 * End to end on a real long document (a QMSum meeting transcript, fixtures/docs; its literal
 * "{vocalsound}" braces must pass through the context prompt untouched) with a tiny random memory model and
 * generator (the engine's real decoder) and the real BGE-small embedder: memorize -> save ->
 * load -> ask gives exactly what ask gives without the round trip.
 */
@Timeout(300)
class PipelineStoreTest {
    private static final Path DOC = Path.of(System.getProperty("memorag.project.dir", "."),
            "src/test/resources/fixtures/docs/qmsum_ES2016c.txt");
    private static final List<Question> QUESTIONS = List.of(
            Question.of("m", "Why did the team decide against speech recognition?"),
            new Question("qa", "Who presented the internal components?", "qa", 12, null),
            new Question("s", null, "summarize", 12, null),
            new Question("r", "What shape will the remote control have?", "rag", 12, null));

    @TempDir
    static Path dir;
    static Pipeline pipeline;
    static String text;
    static DocArtifacts memorized;

    @BeforeAll
    static void open() throws IOException {
        Path tiny = TinyCheckpoint.qwen2().layers(2).seed(3).writeTo(dir.resolve("tiny"));
        text = Files.readString(DOC, StandardCharsets.UTF_8);
        pipeline = Pipeline.open(MemoragConfig.builder().set("memory.model", tiny.toString())
                .set("generator.type", "memory").set("tokens.recall", "24")
                .set("tokens.rewrite", "24").set("tokens.final", "16")
                .set("tokens.key_points", "24").set("tokens.answer", "8")
                .set("task.use_memory_answer", "true").build(),
                new TinyModels(TestEncoders.bgeSmall()));
        memorized = pipeline.memorize("meeting", text);
    }

    @AfterAll
    static void close() {
        memorized.close();
        pipeline.close();
    }

    private static ArtifactStore store() {
        return ArtifactStore.create(dir.resolve("store").toUri().toString(), new Configuration());
    }

    @Test
    void askAfterSaveAndLoadEqualsAskWithoutTheRoundTrip() throws IOException {
        DocArtifacts doc = memorized;
        try (ArtifactStore s = store()) {
            assertEquals("longllm", doc.memoryMode());
            s.save(doc);
            try (DocArtifacts back = s.load("meeting", doc.version(), pipeline::readMemory)) {
                assertArrayEquals(doc.indexBytes(), back.indexBytes());
                assertEquals(doc.chunks(), back.chunks());
                assertEquals(doc.memory().inputTokens(), back.memory().inputTokens());
                for (Question q : QUESTIONS) {
                    Answer direct = pipeline.ask(doc, q);
                    Answer loaded = pipeline.ask(back, q);
                    String where = "question " + q.questionId();
                    assertEquals(direct.answer(), loaded.answer(), where);
                    assertEquals(direct.clues(), loaded.clues(), where);
                    assertEquals(direct.surrogateQueries(), loaded.surrogateQueries(), where);
                    assertEquals(direct.memoryAnswer(), loaded.memoryAnswer(), where);
                    assertEquals(direct.queries(), loaded.queries(), where);
                    assertEquals(direct.evidence(), loaded.evidence(), where);
                    assertEquals(direct.tokenCounts(), loaded.tokenCounts(), where);
                }
            }
        }
    }

    @Test
    void corruptMemoryIsRefusedWithTheFileName() throws IOException {
        DocArtifacts doc = memorized;
        try (ArtifactStore s = ArtifactStore.create(dir.resolve("store2").toUri().toString(),
                new Configuration())) {
            s.save(doc);
            Path mem = dir.resolve("store2/docs/meeting").resolve(doc.version())
                    .resolve(ArtifactStore.MEMORY);
            assertTrue(Files.size(mem) > 1000);
            try (RandomAccessFile f = new RandomAccessFile(mem.toFile(), "rw")) {
                f.seek(Files.size(mem) - 10);
                f.write(0x7F);
            }
            MemoragException e = assertThrows(MemoragException.class,
                    () -> s.load("meeting", doc.version(), pipeline::readMemory));
            assertEquals(ErrorCode.CORRUPT_ARTIFACT, e.code());
            assertTrue(e.getMessage().contains(ArtifactStore.MEMORY), e.getMessage());
            assertFalse(s.latestVersion("meeting", pipeline.modelsFingerprint()).isEmpty());
        }
    }
}
