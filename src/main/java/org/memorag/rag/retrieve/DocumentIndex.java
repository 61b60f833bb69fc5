package org.memorag.rag.retrieve;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.memorag.index.FaissException;
import org.memorag.index.FaissIndex;
import org.memorag.index.Metric;
import org.memorag.index.SearchResult;
import org.memorag.rag.chunk.Chunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One document's chunks and the FAISS index of their embeddings: vector {@code i} is chunk
 * {@code i} (BEACON_SPEC.md §1.5 {@code index.bin} + {@code chunks.json}). Searching many
 * query vectors is one batched FAISS call; hits are merged MemoRAG's way ({@link EvidenceMerge}).
 *
 * <p>Owns its native index: close it. Searches may run concurrently.
 */
public final class DocumentIndex implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DocumentIndex.class);

    private final List<Chunk> chunks;
    private final FaissIndex index;
    private final String description;

    private DocumentIndex(List<Chunk> chunks, FaissIndex index, String description) {
        this.chunks = chunks;
        this.index = index;
        this.description = description;
    }

    /**
     * Builds the index of {@code vectors} (one unit vector per chunk, in chunk order) with
     * {@code config.indexFactory()}. An index that needs training is trained on these vectors;
     * when FAISS cannot train it on so few, it becomes Flat (logged, and visible in
     * {@link #description()}) or, without {@code fallbackToFlat}, an IllegalArgumentException.
     */
    public static DocumentIndex build(List<Chunk> chunks, float[][] vectors, int dimension,
            RetrievalConfig config) {
        Objects.requireNonNull(config, "config");
        List<Chunk> copy = checkedChunks(chunks);
        if (vectors == null || vectors.length != copy.size()) {
            throw new IllegalArgumentException((vectors == null ? "no" : vectors.length + "")
                    + " vectors for " + copy.size() + " chunks; embed every chunk once, in order");
        }
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i] == null || vectors[i].length != dimension) {
                throw new IllegalArgumentException("vector of chunk " + i + " has "
                        + (vectors[i] == null ? "no" : vectors[i].length + "") + " floats but the"
                        + " index dimension is " + dimension + "; embed with the same encoder");
            }
        }
        String factory = config.indexFactory();
        FaissIndex index = FaissIndex.create(dimension, factory, Metric.IP);
        String description = factory;
        try {
            if (!index.isTrained()) {
                String why = train(index, vectors);
                if (why != null) {
                    if (!config.fallbackToFlat()) {
                        throw new IllegalArgumentException("index '" + factory + "' needs"
                                + " training but this document has " + vectors.length
                                + " chunk vectors: " + why + ". Use \"Flat\" for small"
                                + " documents, fewer IVF lists, or enable the Flat fallback");
                    }
                    log.warn("index={} cannot be trained on chunks={} ({}); using Flat",
                            factory, vectors.length, why);
                    index.close();
                    index = FaissIndex.create(dimension, "Flat", Metric.IP);
                    description = "Flat (fallback from " + factory + ": " + vectors.length
                            + " chunk vectors are too few to train it)";
                }
            }
            if (config.nprobe() > 0 && factory.toUpperCase(Locale.ROOT).contains("IVF")
                    && description.equals(factory)) {
                index.setParameter("nprobe", config.nprobe());
            }
            if (vectors.length > 0) {
                index.add(vectors);
            }
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
        return new DocumentIndex(copy, index, description);
    }

    /**
     * Restores a document index from {@link #indexBytes()} and its chunks, checking that they
     * belong together (quirk Q4): one vector per chunk, vectors of {@code dimension} floats.
     */
    public static DocumentIndex restore(List<Chunk> chunks, byte[] indexBytes, int dimension) {
        List<Chunk> copy = checkedChunks(chunks);
        FaissIndex index = FaissIndex.fromBytes(indexBytes);
        try {
            if (index.dimension() != dimension) {
                throw new IllegalArgumentException("stored index has vectors of "
                        + index.dimension() + " floats but the encoder gives " + dimension
                        + ": it was built with another encoder; rebuild it (memorize again)");
            }
            if (index.ntotal() != copy.size()) {
                throw new IllegalArgumentException("stored index holds " + index.ntotal()
                        + " vectors but there are " + copy.size() + " chunks: index and chunks"
                        + " are from different documents or runs; memorize the document again");
            }
            if (index.metric() != Metric.IP) {
                throw new IllegalArgumentException("stored index ranks by " + index.metric()
                        + "; retrieval needs inner product (cosine of unit vectors)");
            }
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
        return new DocumentIndex(copy, index, index.description());
    }

    /** Top-{@code hits} chunks of every query, merged: ascending chunk id, best score each. */
    public List<Evidence> search(float[][] queryVectors, int hits) {
        if (queryVectors == null || queryVectors.length == 0) {
            throw new IllegalArgumentException("no query vectors; MemoRAG always searches with at"
                    + " least the question");
        }
        if (hits <= 0) {
            throw new IllegalArgumentException("hits per query must be > 0, got " + hits);
        }
        for (int q = 0; q < queryVectors.length; q++) {
            if (queryVectors[q] == null || queryVectors[q].length != index.dimension()) {
                throw new IllegalArgumentException("query vector " + q + " has "
                        + (queryVectors[q] == null ? "no" : queryVectors[q].length + "")
                        + " floats but the index dimension is " + index.dimension()
                        + "; queries and chunks must be embedded by the same encoder");
            }
        }
        if (chunks.isEmpty()) {
            return List.of();
        }
        SearchResult r = index.search(queryVectors, hits);
        return EvidenceMerge.merge(r.ids(), r.scores(), chunks);
    }

    /** The index in FAISS's file format ({@code faiss.read_index} reads it). */
    public byte[] indexBytes() {
        return index.toBytes();
    }

    public List<Chunk> chunks() {
        return chunks;
    }

    public int dimension() {
        return index.dimension();
    }

    /** The FAISS index actually built, e.g. "Flat" or "IVF16,Flat" or a fallback note. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        index.close();
    }

    /** Null when training worked, else FAISS's reason. */
    private static String train(FaissIndex index, float[][] vectors) {
        if (vectors.length == 0) {
            return "there are no vectors";
        }
        try {
            index.train(vectors);
            return index.isTrained() ? null : "FAISS left it untrained";
        } catch (FaissException e) {
            return e.getMessage();
        }
    }

    private static List<Chunk> checkedChunks(List<Chunk> chunks) {
        if (chunks == null) {
            throw new IllegalArgumentException("chunk list is null; an empty document has an"
                    + " empty list");
        }
        List<Chunk> copy = List.copyOf(chunks);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).id() != i) {
                throw new IllegalArgumentException("chunk at position " + i + " has id "
                        + copy.get(i).id() + "; chunk ids must be their positions 0..n-1");
            }
        }
        return copy;
    }
}
