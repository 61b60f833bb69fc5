package org.memorag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.testing.TinyCheckpoint;
import picocli.CommandLine;

/**
 * memorize / ask end to end on the embedded CPU default (real BGE-small, no memory, extractive)
 * over a real long document from the fixtures.
 */
@Timeout(300)
class CliTest {
    private static final Path DOC = Path.of(System.getProperty("memorag.project.dir", "."),
            "src/test/resources/fixtures/docs/loogle_Assassination-of-Shinzo-Abe.txt");

    @TempDir
    static Path dir;
    static String store;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void memorize() {
        store = dir.resolve("store").toString();
        Run r = run("memorize", "--input", DOC.toString(), "--doc-id", "abe", "--store", store);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("memorized doc_id=abe version="), r.out());
        assertTrue(r.out().contains("mode=none"), r.out());
    }

    @Test
    void memorizingTheSameTextAgainIsSkipped() {
        Run r = run("memorize", "--input", DOC.toString(), "--doc-id", "abe", "--store", store);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("already memorized doc_id=abe"), r.out());
    }

    @Test
    void jsonIsExactlyOneObjectWithTheEvidenceThatAnswers() {
        Run r = run("ask", "--store", store, "--doc-id", "abe", "--task", "rag", "--question",
                "At what time was Abe pronounced dead at the hospital?", "--json");
        assertEquals(0, r.code(), r.err());
        String out = r.out().strip();
        assertEquals(1, out.lines().count(), "one line of JSON: " + out);
        JsonObject o = JsonParser.parseString(out).getAsJsonObject();
        for (String field : new String[] {"answer", "task_type", "clues", "surrogate_queries",
                "memory_answer", "evidence", "timings_ms"}) {
            assertTrue(o.has(field), field + " missing in " + out);
        }
        assertEquals("rag", o.get("task_type").getAsString());
        assertTrue(o.get("answer").getAsString().contains("5:03 pm"), out);
        JsonObject ev = o.getAsJsonArray("evidence").get(0).getAsJsonObject();
        assertTrue(ev.has("chunk_id") && ev.has("score") && ev.has("text"), ev.toString());
    }

    @Test
    void explainShowsEvidenceWithScores() {
        Run r = run("ask", "--store", store, "--doc-id", "abe", "--task", "rag", "--question",
                "Who was misidentified as the assassin by several media outlets?", "--explain");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Kojima"), r.out());
        assertTrue(r.out().contains("Evidence (") && r.out().contains("score 0."), r.out());
        assertTrue(r.out().contains("Retrieval queries"), r.out());
    }

    @Test
    void memoragWithoutAMemoryModelNamesTheKeyInOneLine() {
        Run r = run("ask", "--store", store, "--doc-id", "abe", "--question", "Why?");
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("NO_MEMORY") && r.err().contains("memory.model"), r.err());
    }

    @Test
    void badInputsFailWithOneActionableLine() {
        Run unknownDoc = run("ask", "--store", store, "--doc-id", "nope", "--task", "rag",
                "--question", "x");
        assertEquals(1, unknownDoc.code());
        assertTrue(unknownDoc.err().contains("UNKNOWN_DOC"), unknownDoc.err());
        Run noStore = run("ask", "--store", dir.resolve("missing").toString(), "--doc-id", "abe",
                "--task", "rag", "--question", "x");
        assertTrue(noStore.err().contains("STORE_NOT_FOUND"), noStore.err());
        Run badTask = run("ask", "--store", store, "--doc-id", "abe", "--task", "translate",
                "--question", "x");
        assertTrue(badTask.err().contains("UNKNOWN_TASK"), badTask.err());
        Run noQuestion = run("ask", "--store", store, "--doc-id", "abe");
        assertEquals(2, noQuestion.code(), "usage error");
        assertTrue(noQuestion.err().contains("--question"), noQuestion.err());
        Run badKey = run("ask", "--store", store, "--doc-id", "abe", "--task", "rag",
                "--question", "x", "--set", "retrieve.hit=4");
        assertTrue(badKey.err().contains("did you mean 'retrieve.hits'"), badKey.err());
    }

    @Test
    void memoragWithAMemoryModelFromAConfFile() throws IOException {
        Path tiny = TinyCheckpoint.qwen2().layers(2).seed(5).writeTo(dir.resolve("tiny"));
        Path conf = dir.resolve("tiny.properties");
        Files.writeString(conf, "memory.model=" + tiny + "\ngenerator.type=memory\n"
                + "tokens.recall=8\ntokens.rewrite=8\ntokens.final=8\n");
        String meeting = Path.of(System.getProperty("memorag.project.dir", "."),
                "src/test/resources/fixtures/docs/qmsum_ES2016c.txt").toString();
        String tinyStore = dir.resolve("tiny-store").toString();
        Run m = run("memorize", "--input", meeting, "--store", tinyStore, "--conf",
                conf.toString());
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains("doc_id=qmsum_ES2016c") && m.out().contains("mode=longllm"),
                m.out());
        Run a = run("ask", "--store", tinyStore, "--doc-id", "qmsum_ES2016c", "--question",
                "What did the team decide about the remote control?", "--conf", conf.toString(),
                "--json");
        assertEquals(0, a.code(), a.err());
        JsonObject o = JsonParser.parseString(a.out().strip()).getAsJsonObject();
        assertEquals("memorag", o.get("task_type").getAsString());
        assertTrue(o.getAsJsonObject("timings_ms").has("recall"), a.out());
        assertTrue(o.getAsJsonArray("evidence").size() > 0, a.out());
        Run other = run("ask", "--store", tinyStore, "--doc-id", "qmsum_ES2016c", "--task", "rag",
                "--question", "x");
        assertEquals(1, other.code());
        assertTrue(other.err().contains("MODEL_MISMATCH") && other.err().contains("--conf"),
                other.err());
    }

    @Test
    void emptyDocumentIsRefused() throws IOException {
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "  \n");
        Run r = run("memorize", "--input", empty.toString(), "--store", store);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("EMPTY_DOCUMENT"), r.err());
    }
}
