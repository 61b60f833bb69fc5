package org.memorag.rag.retrieve;

import java.io.Serializable;

/**
 * A retrieved passage with its provenance: which chunk, the best score any query gave it
 * (inner product of L2-normalised embeddings = cosine) and the chunk's trimmed text.
 */
public record Evidence(int chunkId, float score, String text) implements Serializable {
    public Evidence {
        if (chunkId < 0) {
            throw new IllegalArgumentException("evidence chunk id must be >= 0, got " + chunkId);
        }
        if (text == null) {
            throw new IllegalArgumentException("evidence for chunk " + chunkId + " has no text");
        }
    }
}
