package org.memorag.rag.memory;

import java.util.Objects;

/** What the memory said to one instruction, with the token counts of the call. */
public record MemoryReply(String text, int promptTokens, int newTokens) {
    public MemoryReply {
        Objects.requireNonNull(text, "text");
    }
}
