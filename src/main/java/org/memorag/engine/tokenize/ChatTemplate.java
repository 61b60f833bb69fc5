package org.memorag.engine.tokenize;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Hugging Face chat template ({@code chat_template} of tokenizer_config.json) rendered with
 * Jinjava set up to produce what transformers' {@code apply_chat_template(..., tokenize=False)}
 * produces with Python Jinja2: trim_blocks, lstrip_blocks, one trailing newline of the template
 * dropped (Jinja2's keep_trailing_newline=False), {@code raise_exception}, Python's
 * {@code tojson}, the special tokens as variables. Where Jinjava's lexer differs the template is
 * rewritten first ({@link Jinja2Source}). Templates using filters, tests or constructs we have
 * not verified fail with a {@link ChatTemplateException} naming the template and the construct;
 * the supported set is pinned by golden tests against Jinja2
 * (scripts/fixtures/chat_templates.py). Immutable and safe to share between threads.
 */
public final class ChatTemplate {
    /** transformers passes every special token the tokenizer defines as a template variable. */
    private static final List<String> SPECIAL_TOKEN_KEYS = List.of("bos_token", "eos_token",
            "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");

    /** Filters whose Jinjava output was checked against Jinja2 (fixtures/templates/features). */
    static final Set<String> VERIFIED_FILTERS = Set.of("trim", "length", "count", "tojson",
            "join", "upper", "lower", "title", "capitalize", "replace", "default", "d", "first",
            "last", "list", "string", "reverse", "int", "float", "abs", "safe", "selectattr",
            "rejectattr", "select", "reject", "map", "unique", "sort", "sum", "wordcount");
    /** Tests checked against Jinja2 in the same fixture. */
    static final Set<String> VERIFIED_TESTS = Set.of("defined", "undefined", "none", "string",
            "number", "mapping", "iterable", "sequence", "true", "false", "even", "odd");

    private final String name;
    private final String source;
    private final Map<String, String> specialTokens;
    private final Jinjava jinjava;

    private ChatTemplate(String name, String source, Map<String, String> specialTokens) {
        this.name = Objects.requireNonNull(name, "name");
        Jinja2Source.Translation t = Jinja2Source.translate(Objects.requireNonNull(source,
                "source"));
        List<String> problems = new ArrayList<>(t.problems());
        for (String filter : t.filters()) {
            if (!VERIFIED_FILTERS.contains(filter)) {
                problems.add("filter '" + filter + "'");
            }
        }
        for (String test : t.tests()) {
            if (!VERIFIED_TESTS.contains(test)) {
                problems.add("test 'is " + test + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new ChatTemplateException("chat template " + name + " uses " + String.join(
                    "; ", problems) + ", which we cannot render exactly as Python Jinja2 does."
                    + " Supported filters: " + new TreeSet<>(VERIFIED_FILTERS) + ", tests: "
                    + new TreeSet<>(VERIFIED_TESTS) + ". Rewrite the template (or verify the"
                    + " construct with a golden test in scripts/fixtures/chat_templates.py)");
        }
        this.source = t.text();
        this.specialTokens = Map.copyOf(specialTokens);
        this.jinjava = newJinjava();
    }

    /**
     * A template from its text.
     *
     * @param name where the template came from, used in error messages (e.g. a file path)
     * @param bosToken the text of the BOS token or null when the tokenizer has none
     * @param eosToken the text of the EOS token or null when the tokenizer has none
     */
    public static ChatTemplate of(String name, String source, String bosToken, String eosToken) {
        Map<String, String> tokens = new LinkedHashMap<>();
        if (bosToken != null) {
            tokens.put("bos_token", bosToken);
        }
        if (eosToken != null) {
            tokens.put("eos_token", eosToken);
        }
        return new ChatTemplate(name, source, tokens);
    }

    /**
     * The template of a Hugging Face model folder: {@code chat_template} of tokenizer_config.json
     * (a string, or a list of named templates of which "default" is taken), else the newer
     * separate files chat_template.jinja or chat_template.json; special tokens from
     * tokenizer_config.json, given as strings or as AddedToken objects.
     */
    public static ChatTemplate fromModelDir(Path modelDir) {
        Path configFile = modelDir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new ChatTemplateException(configFile + " does not exist: a chat model folder"
                    + " needs the tokenizer_config.json of its Hugging Face repository");
        }
        JsonObject config = readJsonObject(configFile);
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String key : SPECIAL_TOKEN_KEYS) {
            String token = tokenText(config.get(key), configFile, key);
            if (token != null) {
                tokens.put(key, token);
            }
        }
        JsonElement template = config.get("chat_template");
        if (template != null && !template.isJsonNull()) {
            String where = configFile + " chat_template";
            return new ChatTemplate(where, templateText(template, where), tokens);
        }
        Path jinjaFile = modelDir.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinjaFile)) {
            return new ChatTemplate(jinjaFile.toString(), readString(jinjaFile), tokens);
        }
        Path jsonFile = modelDir.resolve("chat_template.json");
        if (Files.isRegularFile(jsonFile)) {
            JsonElement value = readJsonObject(jsonFile).get("chat_template");
            if (value == null || value.isJsonNull()) {
                throw new ChatTemplateException(jsonFile + " has no \"chat_template\" key");
            }
            String where = jsonFile + " chat_template";
            return new ChatTemplate(where, templateText(value, where), tokens);
        }
        throw new ChatTemplateException(configFile + " has no \"chat_template\" and the folder has"
                + " no chat_template.jinja or chat_template.json: this is not a chat model, or"
                + " copy the template from the model's Hugging Face repository");
    }

    /** Where the template came from (file and key, or the name given to {@link #of}). */
    public String name() {
        return name;
    }

    /** The special tokens passed to the template as variables (bos_token, eos_token, ...). */
    public Map<String, String> specialTokens() {
        return specialTokens;
    }

    /**
     * Renders a conversation as transformers' {@code apply_chat_template(messages,
     * tokenize=False, add_generation_prompt=...)} does.
     *
     * @throws ChatTemplateException when the template raises an exception (e.g. roles that do
     *     not alternate) or uses something Jinjava cannot render like Jinja2
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> turns = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("role", m.role());
            turn.put("content", m.content());
            turns.add(turn);
        }
        Map<String, Object> bindings = new LinkedHashMap<>(specialTokens);
        bindings.put("messages", turns);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result;
        try {
            result = jinjava.renderForResult(source, bindings);
        } catch (RuntimeException e) {
            throw failure(e);
        }
        for (TemplateError error : result.getErrors()) {
            checkError(error);
        }
        return result.getOutput();
    }

    private void checkError(TemplateError error) {
        TemplateFunctions.RaisedByTemplate raised = raisedByTemplate(error.getException());
        if (raised != null) {
            throw new ChatTemplateException("chat template " + name + " rejected the"
                    + " conversation: " + raised.getMessage(), raised);
        }
        boolean unknownCallable = error.getReason() == TemplateError.ErrorReason.UNKNOWN
                && (error.getItem() == TemplateError.ErrorItem.FILTER
                        || error.getItem() == TemplateError.ErrorItem.FUNCTION
                        || error.getItem() == TemplateError.ErrorItem.EXPRESSION_TEST
                        || error.getItem() == TemplateError.ErrorItem.TAG);
        if (error.getSeverity() == TemplateError.ErrorType.FATAL || unknownCallable) {
            throw new ChatTemplateException("chat template " + name + " uses something Jinjava"
                    + " cannot render like Python Jinja2 (line " + error.getLineno() + ", "
                    + error.getItem() + " " + error.getReason() + "): " + error.getMessage()
                    + ". Supported: the constructs of the Qwen2/ChatML, Mistral [INST] and"
                    + " Llama-3 templates; rewrite the template or add a golden test for it",
                    error.getException());
        }
    }

    private ChatTemplateException failure(RuntimeException e) {
        TemplateFunctions.RaisedByTemplate raised = raisedByTemplate(e);
        if (raised != null) {
            return new ChatTemplateException("chat template " + name + " rejected the"
                    + " conversation: " + raised.getMessage(), raised);
        }
        return new ChatTemplateException("chat template " + name + " failed to render with"
                + " Jinjava: " + e.getMessage(), e);
    }

    private static TemplateFunctions.RaisedByTemplate raisedByTemplate(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TemplateFunctions.RaisedByTemplate r) {
                return r;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private static Jinjava newJinjava() {
        LegacyOverrides overrides = LegacyOverrides.newBuilder()
                // {{- x -}} strips like Jinja2
                .withUseTrimmingForNotesAndExpressions(true)
                .withParseWhitespaceControlStrictly(true)
                .withHandleBackslashInQuotesOnly(true)        // '\n' inside quotes is a newline
                // a + b | trim: the filter binds first
                .withUseNaturalOperatorPrecedence(true)
                .withUsePyishObjectMapper(true)               // {{ [1, 'a'] }} prints as in Python
                .build();
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                // Jinja2Source applies lstrip_blocks and drops the trailing newline Jinja2 drops
                .withLstripBlocks(false)
                .withKeepTrailingNewline(true)
                .withInterperterFactory(new PythonicInterpreter.Factory())
                .withLegacyOverrides(overrides)
                .withNestedInterpretationEnabled(false)  // message text is never a template
                .withFailOnUnknownTokens(false)          // undefined renders as "" as in Jinja2
                .build();
        Jinjava j = new Jinjava(config);
        j.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                TemplateFunctions.class, "raiseException", String.class));
        j.getGlobalContext().registerFilter(new PythonTojsonFilter());
        j.getGlobalContext().registerFilter(new PythonStrFilters.Length("length"));
        j.getGlobalContext().registerFilter(new PythonStrFilters.Length("count"));
        j.getGlobalContext().registerFilter(new PythonStrFilters.Trim());
        return j;
    }

    private static String templateText(JsonElement value, String where) {
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            return value.getAsString();
        }
        if (value.isJsonArray()) {
            List<String> names = new ArrayList<>();
            for (JsonElement e : value.getAsJsonArray()) {
                if (e.isJsonObject() && e.getAsJsonObject().has("name")) {
                    String n = e.getAsJsonObject().get("name").getAsString();
                    names.add(n);
                    JsonElement t = e.getAsJsonObject().get("template");
                    if ("default".equals(n) && t != null && t.isJsonPrimitive()) {
                        return t.getAsString();
                    }
                }
            }
            throw new ChatTemplateException(where + " is a list of named templates " + names
                    + " without a \"default\" entry holding a \"template\" string");
        }
        throw new ChatTemplateException(where + " must be a string or a list of {\"name\","
                + " \"template\"} objects, found: " + value);
    }

    /** A special token given as "text" or as {"__type": "AddedToken", "content": "text", ...}. */
    private static String tokenText(JsonElement value, Path file, String key) {
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            return value.getAsString();
        }
        if (value.isJsonObject() && value.getAsJsonObject().has("content")) {
            return value.getAsJsonObject().get("content").getAsString();
        }
        throw new ChatTemplateException(file + ": \"" + key + "\" must be a string or an"
                + " AddedToken object with \"content\", found: " + value);
    }

    private static JsonObject readJsonObject(Path file) {
        try {
            JsonElement root = JsonParser.parseString(readString(file));
            if (!root.isJsonObject()) {
                throw new ChatTemplateException(file + " must hold a JSON object");
            }
            return root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ChatTemplateException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ChatTemplateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
