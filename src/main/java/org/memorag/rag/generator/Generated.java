package org.memorag.rag.generator;

import java.util.Objects;

/** A generator's output text with its token counts (0 when the generator does not know them). */
public record Generated(String text, int promptTokens, int newTokens) {
    public Generated {
        Objects.requireNonNull(text, "text");
    }
}
