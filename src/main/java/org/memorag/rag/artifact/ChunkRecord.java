package org.memorag.rag.artifact;

import java.io.Serializable;
import java.util.Objects;

/**
 * One retrieval chunk as stored in {@code chunks.parquet}: its id (= its FAISS row and its order
 * in the document), the trimmed text, the character span {@code [charStart, charEnd)} of that
 * text in the original document, and its cl100k token count.
 */
public record ChunkRecord(int chunkId, String text, int charStart, int charEnd, int nTokens)
        implements Serializable {
    public ChunkRecord {
        Objects.requireNonNull(text, "text");
        if (chunkId < 0) {
            throw new IllegalArgumentException("chunk_id must be >= 0, got " + chunkId);
        }
        if (charStart < 0 || charEnd < charStart) {
            throw new IllegalArgumentException("chunk " + chunkId + ": bad span [" + charStart
                    + ", " + charEnd + ")");
        }
        if (nTokens < 0) {
            throw new IllegalArgumentException("chunk " + chunkId + ": n_tokens " + nTokens);
        }
    }
}
