package org.memorag.rag.prompt;

import java.util.Locale;

/** A prompt language: the two MemoRAG ships prompts for (BEACON_SPEC.md Appendix A). */
public enum Language {
    EN("en"), ZH("zh");

    private final String code;

    Language(String code) {
        this.code = code;
    }

    /** ISO 639-1 code, also the resource folder name under prompts/. */
    public String code() {
        return code;
    }

    /** The language of an ISO code ("en", "zh", "zh-cn", ...); any zh* is Chinese (Q24). */
    public static Language ofCode(String code) {
        String c = code.trim().toLowerCase(Locale.ROOT);
        if (c.equals("en") || c.startsWith("en-")) {
            return EN;
        }
        if (c.equals("zh") || c.startsWith("zh-") || c.startsWith("zh_")) {
            return ZH;
        }
        throw new IllegalArgumentException("language '" + code + "' has no prompts; use en or zh");
    }
}
