package org.memorag.rag.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * The MemoRAG prompt templates of one language, read from the resources
 * {@code prompts/{en,zh}/*.txt} — byte-identical to BEACON_SPEC.md Appendix A (checked by the
 * SHA-256 sums of A.4 in PromptsTest). Immutable and shared.
 */
public final class Prompts {
    /** The fixed English assistant turn after the context, in every language (A.2, Q13). */
    public static final String UPSTREAM_REPLY =
            "I have read the article. Please provide your question.";

    private static final Map<Language, Prompts> LOADED = loadAll();

    private final Language language;
    private final Map<PromptKey, String> templates;

    private Prompts(Language language, Map<PromptKey, String> templates) {
        this.language = language;
        this.templates = templates;
    }

    public static Prompts of(Language language) {
        return LOADED.get(language);
    }

    public Language language() {
        return language;
    }

    /** The unformatted template text. */
    public String template(PromptKey key) {
        return templates.get(key);
    }

    /** The template formatted with {@code {question}}, or as is when it is empty (§1.7). */
    public String question(PromptKey key, String question) {
        String t = template(key);
        return question == null || question.isEmpty() ? t
                : PyFormat.format(t, Map.of("question", question));
    }

    /** The context prompt over {@code context} (whole document, or the joined gists). */
    public String context(String context) {
        return PyFormat.format(template(PromptKey.CONTEXT), Map.of("context", context));
    }

    /** The assistant reply after the context: upstream English, or this language's dull_reply. */
    public String contextReply(boolean localized) {
        return localized ? template(PromptKey.DULL_REPLY) : UPSTREAM_REPLY;
    }

    private static Map<Language, Prompts> loadAll() {
        Map<Language, Prompts> all = new EnumMap<>(Language.class);
        for (Language lang : Language.values()) {
            Map<PromptKey, String> t = new EnumMap<>(PromptKey.class);
            for (PromptKey k : PromptKey.values()) {
                t.put(k, new String(resourceBytes(lang, k), StandardCharsets.UTF_8));
            }
            all.put(lang, new Prompts(lang, t));
        }
        return all;
    }

    /** The raw bytes of one template resource (what A.4's checksums cover). */
    static byte[] resourceBytes(Language lang, PromptKey key) {
        String name = "/prompts/" + lang.code() + "/" + key.file() + ".txt";
        try (InputStream in = Prompts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("prompt resource " + name + " is missing from the"
                        + " classpath; rebuild the jar (src/main/resources/prompts)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt resource " + name, e);
        }
    }
}
