package org.memorag.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.memorag.rag.MemoragException;
import org.memorag.rag.Pipeline;
import org.memorag.rag.retrieve.CoreBudget;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.artifact.FileEntry;
import org.memorag.rag.artifact.Manifest;
import org.memorag.store.ArtifactStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MemorizeJob task: for each valid corpus row, skip it when its version (text SHA-256 +
 * models fingerprint) is already committed, else memorize it with the executor's pipeline and
 * save the artifacts; returns one manifest row per document. A failing document becomes an
 * error row; a pipeline that cannot load fails the task (a bad setup, not a bad row).
 */
final class MemorizePartition implements FlatMapFunction<Iterator<Row>, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(MemorizePartition.class);

    private final JobConfig config;
    private final String store;
    private final HadoopSettings hadoop;
    private final Progress progress;

    MemorizePartition(JobConfig config, String store, HadoopSettings hadoop, Progress progress) {
        this.config = config;
        this.store = store;
        this.hadoop = hadoop;
        this.progress = progress;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return List.<Row>of().iterator();
        }
        Pipeline pipeline = ExecutorModels.get(config, GpuBinding.forCurrentTask());
        List<Row> out = new ArrayList<>();
        try (CoreBudget.Slot core = pipeline.occupyCore();
                ArtifactStore artifacts = ArtifactStore.create(store, hadoop.toConfiguration())) {
            while (rows.hasNext()) {
                out.add(Rows.of(memorize(pipeline, artifacts, Rows.corpus(rows.next()))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("closing the store " + store + ": " + e.getMessage(), e);
        }
        return out.iterator();
    }

    private ManifestRow memorize(Pipeline pipeline, ArtifactStore artifacts, CorpusRow doc) {
        String version = pipeline.versionFor(doc.text());
        long t0 = System.nanoTime();
        try {
            if (artifacts.isCommitted(doc.docId(), version)) {
                Manifest m = artifacts.readManifest(doc.docId(), version);
                progress.skipped();
                log.info("skipped doc_id={} version={} (already committed)", doc.docId(), version);
                return row(m, artifacts.versionPath(doc.docId(), version), m.memorizeMs(), true);
            }
            try (DocArtifacts memorized = pipeline.memorize(doc.docId(), doc.text())) {
                Manifest m = artifacts.save(memorized);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                progress.memorized(m.nTokens(), m.files().values().stream()
                        .mapToLong(FileEntry::size).sum());
                return row(m, artifacts.versionPath(doc.docId(), version), ms, false);
            }
        } catch (IOException | RuntimeException e) {
            progress.failed();
            String detail = e instanceof MemoragException ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            log.warn("memorize failed doc_id={} error={}", doc.docId(), detail);
            return ManifestRow.error(doc.docId(), sha256(doc.text()), doc.text().length(),
                    RowError.MEMORIZE_FAILED.message("doc_id '" + doc.docId() + "' could not be"
                            + " memorized (" + detail + ")"));
        }
    }

    private static ManifestRow row(Manifest m, String versionPath, long ms, boolean skipped) {
        FileEntry memory = m.files().get(ArtifactStore.MEMORY);
        return new ManifestRow(m.docId(), m.textSha256(), versionPath, (int) m.nChars(),
                (int) m.nTokens(), m.nChunks(), memory == null ? 0L : memory.size(), ms,
                AnswerRow.OK, null, skipped);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }
}
