package org.memorag.rag.retrieve;

import java.io.Serializable;

/**
 * How one document's chunks are indexed and searched (BEACON_SPEC.md §1.9).
 *
 * @param indexFactory   FAISS {@code index_factory} description; upstream uses "Flat" (exact).
 *                       Inner-product metric always: vectors are unit length, so it is cosine
 * @param hits           hits per query ({@code ret_hit}, 3 in MemoRAG)
 * @param nprobe         IVF lists probed per query; 0 keeps FAISS's default (1)
 * @param fallbackToFlat when an index that needs training cannot be trained on this document's
 *                       chunk vectors (too few of them, e.g. fewer chunks than IVF lists), build
 *                       a Flat index instead and log a warning; false makes that an error
 */
public record RetrievalConfig(String indexFactory, int hits, int nprobe, boolean fallbackToFlat)
        implements Serializable {
    public static final RetrievalConfig DEFAULT = new RetrievalConfig("Flat", 3, 0, true);

    public RetrievalConfig {
        if (indexFactory == null || indexFactory.isBlank()) {
            throw new IllegalArgumentException("index factory is empty; use a FAISS index_factory"
                    + " string such as \"Flat\" (MemoRAG's), \"IVF16,Flat\" or \"HNSW32\"");
        }
        if (hits <= 0) {
            throw new IllegalArgumentException("hits per query must be > 0, got " + hits
                    + " (MemoRAG's ret_hit is 3)");
        }
        if (nprobe < 0) {
            throw new IllegalArgumentException("nprobe must be >= 0 (0 = FAISS default), got "
                    + nprobe);
        }
    }

    public RetrievalConfig withIndexFactory(String factory) {
        return new RetrievalConfig(factory, hits, nprobe, fallbackToFlat);
    }

    public RetrievalConfig withHits(int n) {
        return new RetrievalConfig(indexFactory, n, nprobe, fallbackToFlat);
    }

    public RetrievalConfig withNprobe(int n) {
        return new RetrievalConfig(indexFactory, hits, n, fallbackToFlat);
    }

    public RetrievalConfig withFallbackToFlat(boolean fallback) {
        return new RetrievalConfig(indexFactory, hits, nprobe, fallback);
    }
}
