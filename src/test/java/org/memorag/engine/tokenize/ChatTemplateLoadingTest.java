package org.memorag.engine.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ChatTemplate.fromModelDir on the layouts transformers writes, and the errors it raises. */
class ChatTemplateLoadingTest {
    static final String MISTRAL = ChatTemplateTest.fixture("mistral_v02").get("chat_template")
            .getAsString();
    static final List<ChatMessage> MEMORIZE = List.of(ChatMessage.user("ARTICLE"),
            ChatMessage.assistant("I have read the article. Please provide your question."));

    static JsonObject addedToken(String content) {
        JsonObject t = new JsonObject();
        t.addProperty("__type", "AddedToken");
        t.addProperty("content", content);
        t.addProperty("lstrip", false);
        t.addProperty("normalized", true);
        t.addProperty("rstrip", false);
        t.addProperty("single_word", false);
        return t;
    }

    static Path write(Path dir, JsonObject config) throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), config.toString());
        return dir;
    }

    @Test
    void readsStringTemplateAndAddedTokenObjects(@TempDir Path dir) throws IOException {
        JsonObject c = new JsonObject();
        c.add("bos_token", addedToken("<s>"));
        c.add("eos_token", addedToken("</s>"));
        c.addProperty("chat_template", MISTRAL);
        ChatTemplate t = ChatTemplate.fromModelDir(write(dir, c));
        assertEquals("<s>[INST] ARTICLE [/INST]I have read the article. Please provide your"
                + " question.</s>", t.render(MEMORIZE, true));
        assertEquals("<s>", t.specialTokens().get("bos_token"));
    }

    @Test
    void picksDefaultFromListOfNamedTemplates(@TempDir Path dir) throws IOException {
        JsonObject c = new JsonObject();
        c.addProperty("bos_token", "<s>");
        c.addProperty("eos_token", "</s>");
        JsonArray list = new JsonArray();
        JsonObject tools = new JsonObject();
        tools.addProperty("name", "tool_use");
        tools.addProperty("template", "TOOLS");
        JsonObject dflt = new JsonObject();
        dflt.addProperty("name", "default");
        dflt.addProperty("template", MISTRAL);
        list.add(tools);
        list.add(dflt);
        c.add("chat_template", list);
        String out = ChatTemplate.fromModelDir(write(dir, c)).render(MEMORIZE, true);
        assertTrue(out.startsWith("<s>[INST] ARTICLE [/INST]"), out);
    }

    @Test
    void fallsBackToChatTemplateJinjaFile(@TempDir Path dir) throws IOException {
        JsonObject c = new JsonObject();
        c.addProperty("eos_token", "<|im_end|>");
        write(dir, c);
        Files.writeString(dir.resolve("chat_template.jinja"),
                ChatTemplateTest.fixture("qwen2").get("chat_template").getAsString() + "\n");
        String out = ChatTemplate.fromModelDir(dir).render(MEMORIZE, true);
        assertTrue(out.endsWith("question.<|im_end|>\n<|im_start|>assistant\n"), out);
    }

    @Test
    void missingConfigNamesTheFile(@TempDir Path dir) {
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.fromModelDir(dir));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer_config.json").toString()),
                e.getMessage());
    }

    @Test
    void configWithoutTemplateSaysSo(@TempDir Path dir) throws IOException {
        JsonObject c = new JsonObject();
        c.addProperty("eos_token", "</s>");
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.fromModelDir(write(dir, c)));
        assertTrue(e.getMessage().contains("has no \"chat_template\""), e.getMessage());
    }

    @Test
    void listWithoutDefaultNamesTheEntries(@TempDir Path dir) throws IOException {
        JsonObject c = new JsonObject();
        JsonArray list = new JsonArray();
        JsonObject rag = new JsonObject();
        rag.addProperty("name", "rag");
        rag.addProperty("template", "X");
        list.add(rag);
        c.add("chat_template", list);
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.fromModelDir(write(dir, c)));
        assertTrue(e.getMessage().contains("[rag]") && e.getMessage().contains("default"),
                e.getMessage());
    }

    @Test
    void malformedJsonNamesTheFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": ");
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.fromModelDir(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json is not valid JSON"),
                e.getMessage());
    }

    @Test
    void unknownFilterIsRejectedByName() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("t", "{{ messages[0].content | wordwrap(5) }}", null, null));
        assertTrue(e.getMessage().contains("filter 'wordwrap'") && e.getMessage().contains("t "),
                e.getMessage());
    }

    @Test
    void unknownTestIsRejectedByName() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("t", "{% if x is lower %}a{% endif %}", null, null));
        assertTrue(e.getMessage().contains("test 'is lower'"), e.getMessage());
    }

    @Test
    void extendedSliceIsRejected() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("qwen3", "{% for m in messages[::-1] %}{% endfor %}",
                        null, null));
        assertTrue(e.getMessage().contains("extended slice"), e.getMessage());
    }

    @Test
    void loopFilterIsRejected() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("t", "{% for m in messages if m.role == 'user' %}x"
                        + "{% endfor %}", null, null));
        assertTrue(e.getMessage().contains("loop filter"), e.getMessage());
    }

    @Test
    void forElseIsRejectedButIfElseInsideALoopIsFine() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("t", "{% for m in messages %}x{% else %}none{% endfor %}",
                        null, null));
        assertTrue(e.getMessage().contains("else"), e.getMessage());
        ChatTemplate ok = ChatTemplate.of("t", "{% for m in messages %}{% if loop.first %}a"
                + "{% else %}b{% endif %}{% endfor %}", null, null);
        assertEquals("ab", ok.render(List.of(ChatMessage.user("1"), ChatMessage.user("2")),
                false));
    }

    @Test
    void loopAttributesJinjavaLacksAreRejected() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("t", "{% for m in messages %}{{ loop.previtem.role }}"
                        + "{% endfor %}", null, null));
        assertTrue(e.getMessage().contains("loop.previtem"), e.getMessage());
    }

    @Test
    void pythonStringMethodFailsWithItsName() {
        ChatTemplate t = ChatTemplate.of("t", "{% if messages[0].content.startswith('<') %}x"
                + "{% endif %}", null, null);
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> t.render(List.of(ChatMessage.user("<a>")), false));
        assertTrue(e.getMessage().contains("startswith"), e.getMessage());
    }

    @Test
    void raiseExceptionMessageReachesTheCaller() {
        ChatTemplate t = ChatTemplate.of("strict", "{{ raise_exception('only ' + 'users') }}",
                null, null);
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> t.render(List.of(ChatMessage.user("a")), false));
        assertEquals("chat template strict rejected the conversation: only users",
                e.getMessage());
    }

    @Test
    void messageContentIsNeverInterpreted() {
        ChatTemplate t = ChatTemplate.of("t", "{{ messages[0].content }}", null, null);
        assertEquals("{{ 7 * 6 }} {% if true %}", t.render(List.of(ChatMessage.user(
                "{{ 7 * 6 }} {% if true %}")), false));
    }

    @Test
    @Timeout(60)
    void concurrentRendersAgree() throws Exception {
        ChatTemplate t = ChatTemplate.of("llama3", ChatTemplateTest.fixture("llama3")
                .get("chat_template").getAsString(), "<|begin_of_text|>", "<|eot_id|>");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String text = "question " + (i % 8);
                results.add(pool.submit(() -> t.render(List.of(ChatMessage.user(text)), true)));
            }
            for (int i = 0; i < 64; i++) {
                String expected = t.render(List.of(ChatMessage.user("question " + (i % 8))), true);
                assertEquals(expected, results.get(i).get(), "render " + i);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
