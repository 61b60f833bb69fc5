package org.memorag.rag.chunk;

import java.util.Locale;

/**
 * The two document languages MemoRAG distinguishes (BEACON_SPEC.md §1.3): they choose the chunk
 * budget (512 / 2048 cl100k tokens, §1.4) and how clue lines are counted (§4 Q2).
 */
public enum TextLanguage {
    EN(512),
    ZH(2048);

    private final int defaultChunkTokens;

    TextLanguage(int defaultChunkTokens) {
        this.defaultChunkTokens = defaultChunkTokens;
    }

    /** MemoRAG's {@code retrieval_chunk_size} for this language. */
    public int defaultChunkTokens() {
        return defaultChunkTokens;
    }

    /**
     * Parses a language code: {@code en} or any {@code en-*}, {@code zh} or any {@code zh-*}
     * ({@code zh-cn}, {@code zh-Hant}, ...; quirk Q24), case-insensitive.
     */
    public static TextLanguage of(String code) {
        if (code == null) {
            throw new IllegalArgumentException("language code is null; use 'en' or 'zh'");
        }
        String c = code.trim().toLowerCase(Locale.ROOT);
        if (c.equals("en") || c.startsWith("en-") || c.startsWith("en_")) {
            return EN;
        }
        if (c.equals("zh") || c.startsWith("zh-") || c.startsWith("zh_")) {
            return ZH;
        }
        throw new IllegalArgumentException("unsupported language code '" + code
                + "'; use 'en' or 'zh' (MemoRAG has English and Chinese prompts only)");
    }
}
