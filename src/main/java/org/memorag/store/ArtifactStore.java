package org.memorag.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.memorag.engine.model.ModelMemory;
import org.memorag.rag.ErrorCode;
import org.memorag.rag.MemoragException;
import org.memorag.rag.artifact.ChunkRecord;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.artifact.FileEntry;
import org.memorag.rag.artifact.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Document artifacts on any Hadoop FileSystem ({@code file://}, {@code s3a://}, {@code hdfs://}),
 * laid out as DESIGN.md §5: {@code <store>/docs/<doc key>/<version>/} with memory.safetensors,
 * index.faiss, chunks.parquet, manifest.json and {@code _COMMITTED} (the manifest's SHA-256)
 * written last. A version is written in a temporary sibling folder and renamed into place, so
 * readers never see half a version; loading checks every size and SHA-256. Thread-safe; close
 * it to release its FileSystem instance.
 */
public final class ArtifactStore implements AutoCloseable {
    public static final String MEMORY = "memory.safetensors";
    public static final String INDEX = "index.faiss";
    public static final String CHUNKS = "chunks.parquet";
    public static final String MANIFEST = "manifest.json";
    public static final String COMMITTED = "_COMMITTED";

    private static final Logger log = LoggerFactory.getLogger(ArtifactStore.class);

    private final FileSystem fs;
    private final Path root;

    private ArtifactStore(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    /** Opens a store for writing, creating its folder when missing. */
    public static ArtifactStore create(String uri, Configuration conf) {
        ArtifactStore s = connect(uri, conf);
        try {
            s.fs.mkdirs(new Path(s.root, "docs"));
        } catch (IOException e) {
            s.closeQuietly();
            throw new MemoragException(ErrorCode.STORE_NOT_FOUND, "cannot create the store "
                    + s.root + ": " + e.getMessage() + "; check the path and permissions", e);
        }
        return s;
    }

    /** Opens an existing store for reading; fails when it does not exist. */
    public static ArtifactStore open(String uri, Configuration conf) {
        ArtifactStore s = connect(uri, conf);
        boolean exists;
        try {
            exists = s.fs.exists(s.root);
        } catch (IOException e) {
            s.closeQuietly();
            throw new MemoragException(ErrorCode.STORE_NOT_FOUND, "cannot reach the store "
                    + s.root + ": " + e.getMessage(), e);
        }
        if (!exists) {
            s.closeQuietly();
            throw new MemoragException(ErrorCode.STORE_NOT_FOUND, "the store " + s.root
                    + " does not exist; memorize documents into it first or fix --store");
        }
        return s;
    }

    private static ArtifactStore connect(String uri, Configuration conf) {
        if (uri == null || uri.isBlank()) {
            throw new MemoragException(ErrorCode.STORE_NOT_FOUND, "no store given; pass a"
                    + " file://, s3a:// or hdfs:// URI or a local folder");
        }
        try {
            Path p = new Path(uri);
            // a private instance (closed with the store): the checksum switches below must not
            // change the JVM-wide cached FileSystem that Spark also uses
            FileSystem fs = FileSystem.newInstance(p.toUri(), conf);
            // we check sizes and SHA-256 ourselves; no .crc side files on the local FS
            fs.setVerifyChecksum(false);
            fs.setWriteChecksum(false);
            return new ArtifactStore(fs, fs.makeQualified(p));
        } catch (IOException | IllegalArgumentException e) {
            throw new MemoragException(ErrorCode.STORE_NOT_FOUND, "cannot open the store " + uri
                    + ": " + e.getMessage(), e);
        }
    }

    /** The qualified root URI of the store. */
    public String uri() {
        return root.toString();
    }

    /** {@code <store>/docs/<doc key>/<version>} as a URI string. */
    public String versionPath(String docId, String version) {
        return versionDir(docId, version).toString();
    }

    public boolean isCommitted(String docId, String version) {
        try {
            return fs.exists(new Path(versionDir(docId, version), COMMITTED));
        } catch (IOException e) {
            throw new MemoragException(ErrorCode.STORE_NOT_FOUND, "cannot check "
                    + versionDir(docId, version) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code doc} as one committed version; returns its manifest. A version that is already
     * committed is left as it is and its manifest returned (same text + models = same artifacts).
     */
    public Manifest save(DocArtifacts doc) throws IOException {
        String version = doc.version();
        Path dir = versionDir(doc.docId(), version);
        if (isCommitted(doc.docId(), version)) {
            log.info("already committed doc_id={} version={}", doc.docId(), version);
            return readManifest(doc.docId(), version);
        }
        Path tmp = new Path(dir.getParent(), "_tmp-" + version + "-" + UUID.randomUUID());
        fs.mkdirs(tmp);
        try {
            Map<String, FileEntry> files = new LinkedHashMap<>();
            if (doc.hasMemory()) {
                try (Sha256.Out out = new Sha256.Out(fs.create(new Path(tmp, MEMORY), false))) {
                    doc.memory().writeTo(out);
                    out.flush();
                    files.put(MEMORY, new FileEntry(out.count(), out.hex()));
                }
            }
            files.put(INDEX, writeBytes(new Path(tmp, INDEX), doc.indexBytes()));
            files.put(CHUNKS, writeBytes(new Path(tmp, CHUNKS),
                    ChunksParquet.toBytes(doc.chunks())));
            writeBytes(new Path(tmp, MANIFEST),
                    doc.manifest(files).toJson().getBytes(StandardCharsets.UTF_8));
            if (fs.exists(dir)) { // a crashed earlier attempt: never committed, so never read
                fs.delete(dir, true);
            }
            if (!fs.rename(tmp, dir)) {
                throw new IOException("rename " + tmp + " -> " + dir + " failed");
            }
            Path nested = new Path(dir, tmp.getName());
            if (fs.exists(nested)) { // another writer renamed the same version first
                fs.delete(nested, true);
            }
        } catch (IOException | RuntimeException e) {
            fs.delete(tmp, true);
            throw e;
        }
        byte[] manifest = readAll(new Path(dir, MANIFEST));
        writeBytes(new Path(dir, COMMITTED), (Sha256.hex(manifest) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        log.info("committed doc_id={} version={} path={}", doc.docId(), version, dir);
        return Manifest.fromJson(new String(manifest, StandardCharsets.UTF_8),
                new Path(dir, MANIFEST).toString());
    }

    /** The manifest of a committed version, checked against {@code _COMMITTED}. */
    public Manifest readManifest(String docId, String version) throws IOException {
        Path dir = versionDir(docId, version);
        Path marker = new Path(dir, COMMITTED);
        if (!fs.exists(marker)) {
            throw new MemoragException(ErrorCode.UNKNOWN_DOC, "doc_id '" + docId
                    + "' has no committed version " + version + " in " + root
                    + "; memorize it first");
        }
        Path mf = new Path(dir, MANIFEST);
        byte[] bytes;
        try {
            bytes = readAll(mf);
        } catch (FileNotFoundException e) {
            throw corrupt(mf, "is missing", e);
        }
        String expected = new String(readAll(marker), StandardCharsets.UTF_8).trim();
        if (!expected.equals(Sha256.hex(bytes))) {
            throw corrupt(mf, "does not match the checksum in " + COMMITTED
                    + " (changed or truncated after commit)", null);
        }
        Manifest m;
        try {
            m = Manifest.fromJson(new String(bytes, StandardCharsets.UTF_8), mf.toString());
        } catch (IllegalArgumentException e) {
            throw corrupt(mf, e.getMessage(), e);
        }
        if (!m.docId().equals(docId) || !m.version().equals(version)) {
            throw corrupt(mf, "belongs to doc_id '" + m.docId() + "' version " + m.version(),
                    null);
        }
        return m;
    }

    /**
     * Loads and verifies a committed version; {@code memoryReader} turns memory.safetensors into a
     * memory (the configured memory model's {@code readMemory}); it is not called without one.
     */
    public DocArtifacts load(String docId, String version, MemoryReader memoryReader)
            throws IOException {
        Manifest m = readManifest(docId, version);
        Path dir = versionDir(docId, version);
        for (Map.Entry<String, FileEntry> f : m.files().entrySet()) {
            checkSize(new Path(dir, f.getKey()), f.getValue());
        }
        byte[] index = verified(new Path(dir, INDEX), m.files().get(INDEX));
        Path chunksPath = new Path(dir, CHUNKS);
        List<ChunkRecord> chunks = ChunksParquet.fromBytes(
                verified(chunksPath, m.files().get(CHUNKS)), chunksPath.toString());
        ModelMemory memory = m.files().containsKey(MEMORY)
                ? readMemory(new Path(dir, MEMORY), m.files().get(MEMORY), memoryReader) : null;
        try {
            return DocArtifacts.of(m, memory, index, chunks);
        } catch (IllegalArgumentException e) {
            if (memory != null) {
                memory.close();
            }
            throw corrupt(dir, e.getMessage(), e);
        }
    }

    /** Committed versions of a document, newest commit first. */
    public List<String> committedVersions(String docId) throws IOException {
        Path docDir = new Path(new Path(root, "docs"), DocKey.of(docId).key());
        if (!fs.exists(docDir)) {
            return List.of();
        }
        List<FileStatus> committed = new ArrayList<>();
        for (FileStatus s : fs.listStatus(docDir)) {
            if (s.isDirectory() && !s.getPath().getName().startsWith("_")) {
                Path marker = new Path(s.getPath(), COMMITTED);
                if (fs.exists(marker)) {
                    committed.add(fs.getFileStatus(marker));
                }
            }
        }
        committed.sort(Comparator.comparingLong(FileStatus::getModificationTime).reversed());
        return committed.stream().map(s -> s.getPath().getParent().getName()).toList();
    }

    /** The newest committed version of {@code docId} made with {@code modelsFingerprint}. */
    public Optional<String> latestVersion(String docId, String modelsFingerprint)
            throws IOException {
        return committedVersions(docId).stream()
                .filter(v -> v.endsWith("-" + modelsFingerprint)).findFirst();
    }

    @Override
    public void close() throws IOException {
        fs.close();
    }

    private void closeQuietly() {
        try {
            fs.close();
        } catch (IOException e) {
            log.debug("closing the FileSystem of {} failed: {}", root, e.toString());
        }
    }

    private Path versionDir(String docId, String version) {
        if (!version.matches("[0-9a-f]{16}-[0-9a-z]{4,64}")) {
            throw new IllegalArgumentException("version '" + version + "' is not"
                    + " <text sha256[:16]>-<models fingerprint>");
        }
        return new Path(new Path(new Path(root, "docs"), DocKey.of(docId).key()), version);
    }

    private FileEntry writeBytes(Path p, byte[] data) throws IOException {
        try (OutputStream out = fs.create(p, true)) {
            out.write(data);
        }
        return new FileEntry(data.length, Sha256.hex(data));
    }

    private byte[] readAll(Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            throw e;
        } catch (IOException e) {
            throw corrupt(p, "cannot be read: " + e.getMessage(), e);
        }
    }

    private void checkSize(Path p, FileEntry expected) throws IOException {
        long size;
        try {
            size = fs.getFileStatus(p).getLen();
        } catch (FileNotFoundException e) {
            throw corrupt(p, "is missing (manifest lists " + expected.size() + " bytes)", e);
        }
        if (size != expected.size()) {
            throw corrupt(p, "has " + size + " bytes, the manifest says " + expected.size()
                    + (size < expected.size() ? " (truncated)" : ""), null);
        }
    }

    private byte[] verified(Path p, FileEntry expected) throws IOException {
        if (expected == null) {
            throw corrupt(p, "is not listed in the manifest", null);
        }
        byte[] data = readAll(p);
        String sha = Sha256.hex(data);
        if (data.length != expected.size() || !sha.equals(expected.sha256())) {
            throw corrupt(p, "has sha256 " + sha + ", the manifest says " + expected.sha256(),
                    null);
        }
        return data;
    }

    private ModelMemory readMemory(Path p, FileEntry expected, MemoryReader reader)
            throws IOException {
        if (reader == null) {
            throw new MemoragException(ErrorCode.MODEL_NOT_CONFIGURED, p + " holds a memory but"
                    + " no memory model is configured to read it; set memory.model");
        }
        ModelMemory memory = null;
        try (FSDataInputStream raw = fs.open(p); Sha256.In in = new Sha256.In(raw)) {
            memory = reader.read(in);
            in.drain();
            if (in.count() != expected.size() || !in.hex().equals(expected.sha256())) {
                throw corrupt(p, "has " + in.count() + " bytes with sha256 " + in.hex()
                        + ", the manifest says " + expected.size() + " bytes, "
                        + expected.sha256(), null);
            }
            return memory;
        } catch (IOException | RuntimeException e) {
            if (memory != null) {
                memory.close();
            }
            if (e instanceof MemoragException) {
                throw e;
            }
            throw corrupt(p, "cannot be read as a memory: " + e.getMessage(), e);
        }
    }

    private static MemoragException corrupt(Path p, String what, Throwable cause) {
        return new MemoragException(ErrorCode.CORRUPT_ARTIFACT, p + " " + what
                + "; delete the version folder and memorize the document again", cause);
    }
}
