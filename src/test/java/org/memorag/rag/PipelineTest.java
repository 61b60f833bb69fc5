package org.memorag.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.model.LanguageModel;
import org.memorag.engine.tokenize.ChatMessage;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.config.MemoragConfig;
import org.memorag.rag.memory.ModelMemoryMode;
import org.memorag.rag.prompt.Language;
import org.memorag.rag.prompt.Prompts;
import org.memorag.rag.task.Answer;
import org.memorag.rag.task.Question;
import org.memorag.testing.TinyBeaconCheckpoint;
import org.memorag.testing.TinyCheckpoint;

/** The pipeline with tiny random decoders (real engine) and a word-hash encoder. */
@Timeout(120)
class PipelineTest {
    @TempDir
    static Path dir;
    static Path tiny;
    static String text;

    @BeforeAll
    static void setUp() throws IOException {
        tiny = TinyCheckpoint.qwen2().layers(2).seed(7).writeTo(dir.resolve("tiny"));
        StringBuilder sb = new StringBuilder();
        // a document in the tiny vocabulary (w1..w95), so tokens are real words, not <unk>
        java.util.Random r = new java.util.Random(1);
        for (int p = 0; p < 40; p++) {
            for (int s = 0; s < 6; s++) {
                for (int w = 0; w < 9; w++) {
                    sb.append(w == 0 ? "" : " ").append("w").append(1 + r.nextInt(95));
                }
                sb.append(". ");
            }
            sb.append("\n\n");
        }
        text = sb.toString();
    }

    private static MemoragConfig.Builder longllm() {
        return MemoragConfig.builder().set("memory.model", tiny.toString())
                .set("generator.type", "memory").set("language", "en")
                .set("tokens.recall", "12").set("tokens.rewrite", "12").set("tokens.final", "10")
                .set("tokens.key_points", "16").set("chunk.tokens.en", "64");
    }

    @Test
    void memorizesTheContextTurnWithTheFixedReply() {
        try (Pipeline p = Pipeline.open(longllm().build(), new TinyModels(new WordHashEncoder()));
                DocArtifacts doc = p.memorize("d", text)) {
            assertEquals("longllm", doc.memoryMode());
            assertTrue(doc.hasMemory());
            assertTrue(doc.chunks().size() > 10, "chunks: " + doc.chunks().size());
            LanguageModel m = ((ModelMemoryMode) memoryOf(p)).model();
            String expected = "<|im_start|>user\n" + Prompts.of(Language.EN).context(text)
                    + "<|im_end|>\n<|im_start|>assistant\nI have read the article. Please"
                    + " provide your question.<|im_end|>\n<|im_start|>assistant\n";
            assertEquals(expected, m.renderChat(List.of(ChatMessage.user(
                    Prompts.of(Language.EN).context(text)), ChatMessage.assistant(
                    Prompts.UPSTREAM_REPLY)), true));
            assertEquals(m.tokenize(expected).length, doc.memory().inputTokens());
        }
    }

    @Test
    void askingTwiceGivesTheSameAnswerWhateverCameBetween() {
        try (Pipeline p = Pipeline.open(longllm().build(), new TinyModels(new WordHashEncoder()));
                DocArtifacts doc = p.memorize("d", text)) {
            Question q = Question.of("q1", "w5 w17 w33 w2 w8?");
            Answer first = p.ask(doc, q);
            p.ask(doc, Question.of("q2", "w90 w91 w92 w93"));
            p.ask(doc, new Question("q3", null, "summarize", null, null));
            Answer again = p.ask(doc, q);
            assertEquals(first.answer(), again.answer());
            assertEquals(first.clues(), again.clues());
            assertEquals(first.queries(), again.queries());
            assertEquals(first.evidence(), again.evidence());
            assertFalse(first.evidence().isEmpty());
            assertEquals(q.question(), first.queries().get(first.queries().size() - 1));
        }
    }

    @Test
    void oneFolderForMemoryAndGeneratorIsLoadedOnce() {
        TinyModels models = new TinyModels(new WordHashEncoder());
        try (Pipeline p = Pipeline.open(longllm().set("generator.type", "llm")
                .set("generator.model", tiny.toString()).build(), models)) {
            assertEquals(1, models.languageModelsLoaded);
            assertEquals("llm", p.generatorType());
        }
    }

    @Test
    void liteModeSummarisesChunksIntoGists() {
        try (Pipeline p = Pipeline.open(longllm().set("memory.mode", "lite")
                .set("lite.model", tiny.toString()).set("lite.gist_chunk_tokens", "400")
                .set("lite.gist_max_new_tokens", "6").build(),
                new TinyModels(new WordHashEncoder()));
                DocArtifacts doc = p.memorize("d", text)) {
            assertEquals("lite", doc.memoryMode());
            Answer a = p.ask(doc, new Question("q", "w1 w2 w3 w4?", "qa", 5, null));
            assertTrue(a.tokenCounts().get("answer_new") <= 5, a.tokenCounts().toString());
        }
    }

    @Test
    void withoutMemoryModelOnlyRagWorksAndOtherTasksNameTheKey() {
        try (Pipeline p = Pipeline.open(MemoragConfig.defaults(),
                new TinyModels(new WordHashEncoder()));
                DocArtifacts doc = p.memorize("d", text)) {
            assertEquals("none", doc.memoryMode());
            assertNull(doc.memory());
            Answer a = p.ask(doc, new Question("r", "w5 w6 w7", "rag", null, null));
            assertFalse(a.answer().isEmpty());
            MemoragException e = assertThrows(MemoragException.class,
                    () -> p.ask(doc, Question.of("m", "w5 w6 w7")));
            assertEquals(ErrorCode.NO_MEMORY, e.code());
            assertTrue(e.getMessage().contains("memory.model"), e.getMessage());
        }
    }

    @Test
    void aModelThatIsNotConfiguredFailsOnOpenNamingTheKey() {
        MemoragException e = assertThrows(MemoragException.class, () -> Pipeline.open(
                MemoragConfig.builder().set("generator.type", "llm").build(),
                new TinyModels(new WordHashEncoder())));
        assertEquals(ErrorCode.MODEL_NOT_CONFIGURED, e.code());
        assertTrue(e.getMessage().contains("generator.model"), e.getMessage());
        e = assertThrows(MemoragException.class, () -> Pipeline.open(
                MemoragConfig.builder().set("memory.mode", "beacon").build(),
                new TinyModels(new WordHashEncoder())));
        assertTrue(e.getMessage().contains("memory.model"), e.getMessage());
    }

    @Test
    void beaconCheckpointGoesThroughTheSameInterface() throws IOException {
        Path beacon = TinyBeaconCheckpoint.qwen2().layers(2).window(64).ratios(4).seed(2)
                .withTokenizer().writeTo(dir.resolve("beacon"));
        MemoragConfig c = longllm().set("memory.model", beacon.toString())
                .set("memory.mode", "beacon").build();
        try (Pipeline p = Pipeline.open(c, new TinyModels(new WordHashEncoder(), c));
                DocArtifacts doc = p.memorize("d", text)) {
            assertEquals("beacon", doc.memoryMode());
            assertEquals("beacon", doc.memory().kind());
            assertTrue(doc.memory().slots() < doc.memory().inputTokens() / 2,
                    doc.memory().slots() + " slots for " + doc.memory().inputTokens() + " tokens");
            Question q = Question.of("q", "w5 w17 w33 w2 w8?");
            Answer direct = p.ask(doc, q);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            doc.memory().writeTo(bytes);
            try (DocArtifacts back = new DocArtifacts(doc.docId(), doc.textSha256(),
                    doc.modelsFingerprint(), doc.language(), doc.memoryMode(),
                    p.readMemory(new java.io.ByteArrayInputStream(bytes.toByteArray())),
                    doc.models(), doc.settings(), doc.indexBytes(), doc.chunks(), doc.nChars(),
                    doc.nTokens(), doc.memorizeMs())) {
                Answer loaded = p.ask(back, q);
                assertEquals(direct.answer(), loaded.answer());
                assertEquals(direct.clues(), loaded.clues());
                assertEquals(direct.evidence(), loaded.evidence());
            }
        }
    }

    @Test
    void beaconModeRefusesAPlainDecoder() {
        try (Pipeline p = Pipeline.open(longllm().set("memory.mode", "beacon").build(),
                new TinyModels(new WordHashEncoder()))) {
            MemoragException e = assertThrows(MemoragException.class,
                    () -> p.memorize("d", text));
            assertEquals(ErrorCode.MODEL_MISMATCH, e.code());
        }
    }

    @Test
    void documentLongerThanTheContextLimitIsRefused() {
        try (Pipeline p = Pipeline.open(longllm().set("memory.max_context_tokens", "500").build(),
                new TinyModels(new WordHashEncoder()))) {
            MemoragException e = assertThrows(MemoragException.class,
                    () -> p.memorize("d", text));
            assertEquals(ErrorCode.DOCUMENT_TOO_LONG, e.code());
            assertTrue(e.getMessage().contains("memory.max_context_tokens=500"), e.getMessage());
        }
    }

    @Test
    void openAiGeneratorGetsTheQaGenPromptOverTheEvidence() throws IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        List<String> prompts = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.createContext("/v1/chat/completions", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            prompts.add(com.google.gson.JsonParser.parseString(body).getAsJsonObject()
                    .getAsJsonArray("messages").get(0).getAsJsonObject().get("content")
                    .getAsString());
            byte[] out = ("{\"choices\":[{\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"w42.\"}}]}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        try (Pipeline p = Pipeline.open(MemoragConfig.builder().set("generator.type", "openai")
                .set("generator.api.base_url", "http://127.0.0.1:" + server.getAddress()
                        .getPort() + "/v1").set("generator.api.model", "m")
                .set("generator.api.token_env", "MEMORAG_TEST_UNSET_TOKEN").build(),
                new TinyModels(new WordHashEncoder()));
                DocArtifacts doc = p.memorize("d", text)) {
            Answer a = p.ask(doc, new Question("r", "w5 w6 w7", "rag", null, null));
            assertEquals("w42.", a.answer());
            String prompt = prompts.get(0);
            assertTrue(prompt.startsWith("Read the text below and answer a question.\n\n"
                    + a.evidence().get(0).text()), prompt);
            assertTrue(prompt.endsWith("\n\nQuestion: w5 w6 w7\n\nBe concise."), prompt);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void emptyDocumentIsRefused() {
        try (Pipeline p = Pipeline.open(MemoragConfig.defaults(),
                new TinyModels(new WordHashEncoder()))) {
            assertEquals(ErrorCode.EMPTY_DOCUMENT, assertThrows(MemoragException.class,
                    () -> p.memorize("d", " \n\t ")).code());
        }
    }

    @Test
    void artifactsOfOtherSettingsAreRefused() {
        try (Pipeline a = Pipeline.open(MemoragConfig.defaults(),
                new TinyModels(new WordHashEncoder()));
                Pipeline b = Pipeline.open(MemoragConfig.builder().set("chunk.tokens.en", "100")
                        .build(), new TinyModels(new WordHashEncoder()));
                DocArtifacts doc = a.memorize("d", text)) {
            assertNotEquals(a.modelsFingerprint(), b.modelsFingerprint());
            MemoragException e = assertThrows(MemoragException.class,
                    () -> b.ask(doc, new Question("r", "w1", "rag", null, null)));
            assertEquals(ErrorCode.MODEL_MISMATCH, e.code());
            assertTrue(e.getMessage().contains("chunk.tokens.en"), e.getMessage());
        }
    }

    @Test
    void versionForMatchesTheMemorizedVersion() {
        try (Pipeline p = Pipeline.open(MemoragConfig.defaults(),
                new TinyModels(new WordHashEncoder()));
                DocArtifacts doc = p.memorize("d", text)) {
            assertEquals(p.versionFor(text), doc.version());
            assertEquals(Pipeline.sha256(text), doc.textSha256());
        }
    }

    @Test
    void concurrentDocumentsGiveWhatSerialOnesGive() throws Exception {
        String other = text.replace("w1", "w2").replace("w3", "w4");
        Question q = Question.of("q", "w5 w17 w33 w2 w8?");
        try (Pipeline p = Pipeline.open(longllm().build(), new TinyModels(new WordHashEncoder()))) {
            List<String> serial = new java.util.ArrayList<>();
            for (String t : List.of(text, other)) {
                try (DocArtifacts d = p.memorize("d", t)) {
                    serial.add(p.ask(d, q).answer());
                }
            }
            java.util.concurrent.ExecutorService pool =
                    java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<String>> parallel = new java.util.ArrayList<>();
                for (String t : List.of(text, other)) {
                    parallel.add(pool.submit(() -> {
                        try (DocArtifacts d = p.memorize("d", t)) {
                            return p.ask(d, q).answer();
                        }
                    }));
                }
                assertEquals(serial, List.of(parallel.get(0).get(), parallel.get(1).get()));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void chineseDocumentsGetChinesePromptsAndChunkSize() throws IOException {
        String zh = Files.readString(Path.of(System.getProperty("memorag.project.dir", "."),
                "src/test/resources/fixtures/docs/vcsum_meeting-013.txt"), StandardCharsets.UTF_8);
        try (Pipeline p = Pipeline.open(MemoragConfig.defaults(),
                new TinyModels(new WordHashEncoder()));
                DocArtifacts doc = p.memorize("zh", zh)) {
            assertEquals(Language.ZH, doc.language());
            int max = doc.chunks().stream().mapToInt(c -> c.nTokens()).max().orElseThrow();
            assertTrue(max > 512 && max <= 2048, "largest chunk " + max + " cl100k tokens");
        }
    }

    private static Object memoryOf(Pipeline p) {
        try {
            var f = Pipeline.class.getDeclaredField("memory");
            f.setAccessible(true);
            return f.get(p);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
