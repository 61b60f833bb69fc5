package org.memorag.rag.prompt;

import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import org.memorag.rag.config.ConfigKeys;
import org.memorag.rag.config.MemoragConfig;

/**
 * Chooses a document's prompt language: the configured {@code language}, or detected with lingua
 * over English and Chinese only (the only models shaded into the jar) — never from a model's name
 * (BEACON_SPEC.md Q1). Deterministic (Q24). Thread-safe; build one per pipeline.
 */
public final class LanguageDetection {
    /** Characters sampled at the start and in the middle of the text. */
    private static final int SAMPLE_CHARS = 1000;

    private final String configured;
    private volatile LanguageDetector detector;

    public LanguageDetection(MemoragConfig config) {
        this.configured = config.get(ConfigKeys.LANGUAGE);
    }

    /** The language for {@code text}; English when detection is undecided. */
    public Language choose(String text) {
        if (!configured.equals("auto")) {
            return Language.ofCode(configured);
        }
        return detect(text);
    }

    /** lingua over a sample of {@code text} (start + middle, so a preface cannot decide alone). */
    public Language detect(String text) {
        String sample = text.length() <= 2 * SAMPLE_CHARS ? text
                : text.substring(0, SAMPLE_CHARS) + "\n"
                        + text.substring(text.length() / 2, text.length() / 2 + SAMPLE_CHARS);
        com.github.pemistahl.lingua.api.Language found = detector().detectLanguageOf(sample);
        return found == com.github.pemistahl.lingua.api.Language.CHINESE ? Language.ZH
                : Language.EN;
    }

    private LanguageDetector detector() {
        LanguageDetector d = detector;
        if (d == null) {
            synchronized (this) {
                d = detector;
                if (d == null) {
                    d = LanguageDetectorBuilder.fromLanguages(
                            com.github.pemistahl.lingua.api.Language.ENGLISH,
                            com.github.pemistahl.lingua.api.Language.CHINESE).build();
                    detector = d;
                }
            }
        }
        return d;
    }
}
