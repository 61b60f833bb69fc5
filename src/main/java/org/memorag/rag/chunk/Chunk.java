package org.memorag.rag.chunk;

import java.io.Serializable;

/**
 * One retrieval chunk of a document: its position in chunk order, its whitespace-trimmed text,
 * where that text sits in the original document and its cl100k token count.
 *
 * @param id        0-based position in document order (the FAISS vector id)
 * @param text      the trimmed chunk, equal to {@code original.substring(charStart, charEnd)}
 * @param charStart first UTF-16 index of the chunk in the original text (inclusive)
 * @param charEnd   end UTF-16 index in the original text (exclusive)
 * @param nTokens   cl100k_base token count of {@code text} (special tokens read as plain text)
 */
public record Chunk(int id, String text, int charStart, int charEnd, int nTokens)
        implements Serializable {
    public Chunk {
        if (id < 0) {
            throw new IllegalArgumentException("chunk id must be >= 0, got " + id);
        }
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("chunk " + id + " has no text; empty chunks are"
                    + " dropped by the chunker, never stored");
        }
        if (charStart < 0 || charEnd - charStart != text.length()) {
            throw new IllegalArgumentException("chunk " + id + ": offsets [" + charStart + ", "
                    + charEnd + ") do not span its " + text.length() + " characters");
        }
        if (nTokens < 0) {
            throw new IllegalArgumentException("chunk " + id + ": nTokens " + nTokens + " < 0");
        }
    }
}
