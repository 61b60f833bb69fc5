package org.memorag.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.memorag.rag.Pipeline;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.artifact.Manifest;
import org.memorag.rag.config.MemoragConfig;
import org.memorag.store.ArtifactStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code memorag memorize}: one document into the artifact store (skipped when unchanged). */
@Command(name = "memorize", mixinStandardHelpOptions = true,
        description = "Memorize one document (memory, chunks, FAISS index) into a store.")
final class MemorizeCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "FILE|-",
            description = "UTF-8 text file, or - for standard input")
    String input;

    @Option(names = "--doc-id", paramLabel = "ID",
            description = "document id (default: the file name without extension)")
    String docId;

    @Option(names = "--store", required = true, paramLabel = "DIR",
            description = "store folder or URI (file://, s3a://, hdfs://)")
    String store;

    @Mixin
    ConfigOptions conf;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        String text = readInput();
        String id = docId != null ? docId : defaultId();
        MemoragConfig config = conf.build();
        try (ArtifactStore artifacts = ArtifactStore.create(store, new Configuration());
                Pipeline pipeline = Pipeline.open(config)) {
            String version = pipeline.versionFor(text);
            if (!text.isBlank() && artifacts.isCommitted(id, version)) {
                out.println("already memorized doc_id=" + id + " version=" + version + " path="
                        + artifacts.versionPath(id, version));
                return 0;
            }
            try (DocArtifacts doc = pipeline.memorize(id, text)) {
                Manifest m = artifacts.save(doc);
                out.println("memorized doc_id=" + id + " version=" + m.version() + " mode="
                        + m.memoryMode() + " language=" + m.language() + " chars=" + m.nChars()
                        + " chunks=" + m.nChunks() + " memory_bytes=" + doc.memoryBytes()
                        + " memorize_ms=" + m.memorizeMs() + " path="
                        + artifacts.versionPath(id, m.version()));
            }
        }
        return 0;
    }

    private String readInput() throws IOException {
        if (input.equals("-")) {
            if (docId == null) {
                throw new IllegalArgumentException("--input - (standard input) needs --doc-id");
            }
            return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            return Files.readString(Path.of(input), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--input " + input + " does not exist", e);
        }
    }

    private String defaultId() {
        String name = Path.of(input).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
