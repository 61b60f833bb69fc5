package org.memorag.engine.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Renders the golden conversations of fixtures/templates/*.json and compares with Jinja2. */
class ChatTemplateTest {
    static final List<String> FIXTURES = List.of("qwen2", "qwen2_5", "mistral_v02",
            "mistral_v02_system", "llama3", "features");

    static JsonObject fixture(String name) {
        String path = "/fixtures/templates/" + name + ".json";
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " missing: run /usr/bin/python3"
                        + " scripts/fixtures/chat_templates.py");
            }
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException(path, e);
        }
    }

    static String stringOrNull(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    static List<ChatMessage> messages(JsonArray array) {
        List<ChatMessage> out = new ArrayList<>();
        for (JsonElement e : array) {
            JsonObject m = e.getAsJsonObject();
            out.add(new ChatMessage(m.get("role").getAsString(), m.get("content").getAsString()));
        }
        return out;
    }

    /** Where two renderings part: character offset, line number and both lines. */
    static String firstDifference(String expected, String actual) {
        int k = 0;
        while (k < expected.length() && k < actual.length()
                && expected.charAt(k) == actual.charAt(k)) {
            k++;
        }
        int line = (int) expected.substring(0, k).chars().filter(c -> c == '\n').count() + 1;
        return "first difference at offset " + k + " (line " + line + "): expected "
                + lineAt(expected, k) + " but got " + lineAt(actual, k);
    }

    private static String lineAt(String s, int offset) {
        int start = s.lastIndexOf('\n', Math.max(0, Math.min(offset, s.length()) - 1)) + 1;
        int end = s.indexOf('\n', Math.min(offset, s.length()));
        return "«" + s.substring(Math.min(start, s.length()), end < 0 ? s.length() : end)
                .replace("\n", "\\n") + "»";
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureConversationMatchesJinja2() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : FIXTURES) {
            JsonObject f = fixture(name);
            ChatTemplate template = ChatTemplate.of(name, f.get("chat_template").getAsString(),
                    stringOrNull(f, "bos_token"), stringOrNull(f, "eos_token"));
            for (JsonElement c : f.getAsJsonArray("cases")) {
                JsonObject tc = c.getAsJsonObject();
                String label = name + "/" + tc.get("name").getAsString();
                List<ChatMessage> msgs = messages(tc.getAsJsonArray("messages"));
                boolean gen = tc.get("add_generation_prompt").getAsBoolean();
                tests.add(DynamicTest.dynamicTest(label, () -> {
                    if (tc.has("expected")) {
                        String expected = tc.get("expected").getAsString();
                        String actual = template.render(msgs, gen);
                        assertEquals(expected, actual, () -> label + ": " + firstDifference(
                                expected, actual));
                    } else {
                        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                                () -> template.render(msgs, gen), label);
                        assertTrue(e.getMessage().contains(tc.get("error").getAsString()),
                                label + ": " + e.getMessage());
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void qwen2InsertsDefaultSystemPromptOnlyWithoutSystemMessage() {
        ChatTemplate t = ChatTemplate.of("qwen2", fixture("qwen2").get("chat_template")
                .getAsString(), null, "<|im_end|>");
        String without = t.render(List.of(ChatMessage.user("Hi")), true);
        String with = t.render(List.of(new ChatMessage("system", "Be brief."),
                ChatMessage.user("Hi")), true);
        assertTrue(without.startsWith("<|im_start|>system\nYou are a helpful assistant.<|im_end|>"),
                without);
        assertTrue(with.startsWith("<|im_start|>system\nBe brief.<|im_end|>"), with);
        assertTrue(!with.contains("helpful assistant"), with);
    }
}
