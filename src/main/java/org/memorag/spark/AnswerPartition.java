package org.memorag.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.memorag.rag.MemoragException;
import org.memorag.rag.Pipeline;
import org.memorag.rag.retrieve.CoreBudget;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.retrieve.Evidence;
import org.memorag.rag.task.Answer;
import org.memorag.rag.task.Question;
import org.memorag.store.ArtifactStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AnswerJob task over question rows sorted by doc_id, with the manifest rows of their
 * documents (broadcast; a question's document is looked up, not joined): each
 * document's artifacts load once, then its questions run in order. Every row yields exactly one
 * answer row; what cannot be answered becomes an error row with its code.
 */
final class AnswerPartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(AnswerPartition.class);

    private final JobConfig config;
    private final String store;
    private final String manifest;
    private final Broadcast<Map<String, ManifestRow>> manifests;
    private final HadoopSettings hadoop;
    private final Progress progress;

    AnswerPartition(JobConfig config, String store, String manifest,
            Broadcast<Map<String, ManifestRow>> manifests, HadoopSettings hadoop,
            Progress progress) {
        this.config = config;
        this.store = store;
        this.manifest = manifest;
        this.manifests = manifests;
        this.hadoop = hadoop;
        this.progress = progress;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws IOException {
        List<Row> out = new ArrayList<>();
        try (Documents docs = new Documents()) {
            while (rows.hasNext()) {
                AnswerRow a = answer(rows.next(), docs);
                if (a.status().equals(AnswerRow.OK)) {
                    progress.answered();
                } else {
                    progress.failed();
                }
                out.add(Rows.of(a));
            }
        }
        return out.iterator();
    }

    private AnswerRow answer(Row row, Documents docs) {
        QuestionRow q = Rows.question(row);
        String input = Rows.error(row);
        if (input != null) {
            return error(q, input);
        }
        String who = "question_id '" + q.questionId() + "' (doc_id '" + q.docId() + "')";
        ManifestRow m = manifests.value().get(q.docId());
        if (m == null) {
            return error(q, RowError.UNKNOWN_DOC.message("doc_id '" + q.docId() + "' of question_id '"
                    + q.questionId() + "' is not in the manifest at " + manifest
                    + "; memorize it first or fix the question row"));
        }
        if (!m.ok()) {
            return error(q, RowError.DOC_FAILED.message(who + ": the document failed to memorize"
                    + " (" + m.error() + "); fix the document and run memorize again"));
        }
        Pipeline pipeline = docs.pipeline();
        String version = new Path(m.versionPath()).getName();
        if (!version.endsWith("-" + pipeline.modelsFingerprint())) {
            return error(q, RowError.MODELS_MISMATCH.message(who + ": memorized as version "
                    + version + " but this job's models fingerprint is "
                    + pipeline.modelsFingerprint() + "; answer with the settings it was memorized"
                    + " with, or memorize it again with these"));
        }
        long t0 = System.nanoTime();
        DocArtifacts doc;
        try {
            doc = docs.load(q.docId(), version);
        } catch (IOException | RuntimeException e) {
            return error(q, RowError.ARTIFACTS_UNREADABLE.message(who + ": cannot load "
                    + m.versionPath() + " (" + detail(e) + "); memorize the document again"));
        }
        try {
            Answer a = pipeline.ask(doc, new Question(q.questionId(), q.question(), q.taskType(),
                    q.maxNewTokens(), q.promptTemplate()));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            List<EvidenceRow> evidence = new ArrayList<>(a.evidence().size());
            for (Evidence e : a.evidence()) {
                evidence.add(new EvidenceRow(e.chunkId(), e.score(), e.text()));
            }
            return new AnswerRow(q.questionId(), q.docId(), a.taskType(), q.question(),
                    a.answer(), a.clues(), a.surrogateQueries(), a.queries(), evidence,
                    a.memoryAnswer(), a.models(), a.timingsMs(), ms, a.tokenCounts(),
                    q.answers(), AnswerRow.OK, null);
        } catch (RuntimeException e) {
            log.warn("answer failed question_id={} doc_id={} error={}", q.questionId(), q.docId(),
                    detail(e));
            return error(q, RowError.GENERATION_FAILED.message(who + ": " + detail(e)));
        }
    }

    private static AnswerRow error(QuestionRow q, String message) {
        return AnswerRow.error(q.questionId(), q.docId(), q.taskType(), q.question(), q.answers(),
                message);
    }

    private static String detail(Exception e) {
        return e instanceof MemoragException ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The task's pipeline, store and current document, opened on first use, closed at the end. */
    private final class Documents implements AutoCloseable {
        private Pipeline pipeline;
        private CoreBudget.Slot core;
        private ArtifactStore artifacts;
        private String docId;
        private String version;
        private DocArtifacts current;

        Pipeline pipeline() {
            if (pipeline == null) {
                pipeline = ExecutorModels.get(config, GpuBinding.forCurrentTask());
                core = pipeline.occupyCore();  // this task computes on its slot's core
            }
            return pipeline;
        }

        /** The document's artifacts: loaded when the sorted rows reach a new document. */
        DocArtifacts load(String id, String v) throws IOException {
            if (current != null && id.equals(docId) && v.equals(version)) {
                return current;
            }
            closeCurrent();
            if (artifacts == null) {
                artifacts = ArtifactStore.open(store, hadoop.toConfiguration());
            }
            docId = id;
            version = v;
            current = artifacts.load(id, v, pipeline()::readMemory);
            return current;
        }

        private void closeCurrent() {
            if (current != null) {
                current.close();
                current = null;
            }
        }

        @Override
        public void close() throws IOException {
            closeCurrent();
            if (core != null) {
                core.close();
            }
            if (artifacts != null) {
                artifacts.close();
            }
        }
    }
}
