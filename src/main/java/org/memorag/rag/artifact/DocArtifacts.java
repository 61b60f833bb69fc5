package org.memorag.rag.artifact;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.memorag.engine.model.ModelMemory;
import org.memorag.rag.prompt.Language;

/**
 * Everything a memorized document needs to be asked about, in memory: its identity (doc id, text
 * SHA-256, models fingerprint), the memory (null in mode {@code none}), the FAISS index as bytes,
 * the chunks, and the counts for the manifest. No I/O: {@code store.ArtifactStore} writes and
 * reads it. Owns the memory: closing the artifacts closes it. Safe to share between threads
 * (asking never changes a memory).
 */
public final class DocArtifacts implements AutoCloseable {
    private final String docId;
    private final String textSha256;
    private final String modelsFingerprint;
    private final Language language;
    private final String memoryMode;
    private final ModelMemory memory;
    private final Map<String, String> models;
    private final Map<String, String> settings;
    private final byte[] indexBytes;
    private final List<ChunkRecord> chunks;
    private final long nChars;
    private final long nTokens;
    private final long memorizeMs;

    public DocArtifacts(String docId, String textSha256, String modelsFingerprint,
            Language language, String memoryMode, ModelMemory memory, Map<String, String> models,
            Map<String, String> settings, byte[] indexBytes, List<ChunkRecord> chunks,
            long nChars, long nTokens, long memorizeMs) {
        this.docId = Objects.requireNonNull(docId, "docId");
        if (!textSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("text sha256 must be 64 hex digits: " + textSha256);
        }
        if (!modelsFingerprint.matches("[0-9a-z]{4,64}")) {
            throw new IllegalArgumentException("models fingerprint must be 4-64 characters"
                    + " [0-9a-z]: '" + modelsFingerprint + "'");
        }
        this.textSha256 = textSha256;
        this.modelsFingerprint = modelsFingerprint;
        this.language = Objects.requireNonNull(language, "language");
        this.memoryMode = Objects.requireNonNull(memoryMode, "memoryMode");
        this.memory = memory;
        this.models = Map.copyOf(models);
        this.settings = Map.copyOf(settings);
        this.indexBytes = Objects.requireNonNull(indexBytes, "indexBytes").clone();
        this.chunks = List.copyOf(chunks);
        for (int i = 0; i < this.chunks.size(); i++) {
            if (this.chunks.get(i).chunkId() != i) {
                throw new IllegalArgumentException("doc '" + docId + "': chunk at position " + i
                        + " has chunk_id " + this.chunks.get(i).chunkId() + "; ids must be 0..n-1");
            }
        }
        this.nChars = nChars;
        this.nTokens = nTokens;
        this.memorizeMs = memorizeMs;
    }

    /** Rebuilds the in-memory artifacts from a loaded manifest and files. */
    public static DocArtifacts of(Manifest m, ModelMemory memory, byte[] indexBytes,
            List<ChunkRecord> chunks) {
        if (chunks.size() != m.nChunks()) {
            throw new IllegalArgumentException("doc '" + m.docId() + "': manifest says "
                    + m.nChunks() + " chunks, chunks.parquet holds " + chunks.size());
        }
        return new DocArtifacts(m.docId(), m.textSha256(), m.modelsFingerprint(),
                Language.ofCode(m.language()), m.memoryMode(), memory, m.models(), m.settings(),
                indexBytes, chunks, m.nChars(), m.nTokens(), m.memorizeMs());
    }

    /** The version folder name {@code <text sha256[:16]>-<models fingerprint>}. */
    public static String version(String textSha256, String modelsFingerprint) {
        return textSha256.substring(0, 16) + "-" + modelsFingerprint;
    }

    public String version() {
        return version(textSha256, modelsFingerprint);
    }

    /** The manifest of these artifacts, given the size and sha256 of each written file. */
    public Manifest manifest(Map<String, FileEntry> files) {
        return new Manifest(Manifest.FORMAT_VERSION, docId, textSha256, modelsFingerprint,
                language.code(), memoryMode, models, settings,
                memory == null ? Map.of() : memory.metadata(), nChars, nTokens, chunks.size(),
                memorizeMs, files);
    }

    public String docId() {
        return docId;
    }

    public String textSha256() {
        return textSha256;
    }

    public String modelsFingerprint() {
        return modelsFingerprint;
    }

    public Language language() {
        return language;
    }

    /** beacon, longllm, lite or none. */
    public String memoryMode() {
        return memoryMode;
    }

    /** The memory, or null when the document was memorized in mode {@code none}. */
    public ModelMemory memory() {
        return memory;
    }

    public boolean hasMemory() {
        return memory != null;
    }

    /** Fingerprints of the models that made the artifacts, by role (memory, embedder). */
    public Map<String, String> models() {
        return models;
    }

    /** Configuration values that shaped the artifacts (chunk sizes, ratio, index factory...). */
    public Map<String, String> settings() {
        return settings;
    }

    /** The FAISS index (native serialization, readable by Python faiss). A copy. */
    public byte[] indexBytes() {
        return indexBytes.clone();
    }

    public int indexSize() {
        return indexBytes.length;
    }

    public List<ChunkRecord> chunks() {
        return chunks;
    }

    public long nChars() {
        return nChars;
    }

    /** cl100k tokens of the document text. */
    public long nTokens() {
        return nTokens;
    }

    public long memorizeMs() {
        return memorizeMs;
    }

    /** Bytes of the memory's key/value tensors (0 without a memory). */
    public long memoryBytes() {
        return memory == null ? 0 : memory.bytes();
    }

    @Override
    public void close() {
        if (memory != null) {
            memory.close();
        }
    }
}
