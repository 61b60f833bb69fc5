package org.memorag.rag.task;

import java.util.List;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.retrieve.Evidence;

/**
 * Retrieval over one document's index (BEACON_SPEC.md §1.9): all queries embedded in one batch,
 * top {@code retrieve.hits} per query, the union in ascending chunk id with each chunk's best
 * score.
 */
@FunctionalInterface
public interface EvidenceSource {
    List<Evidence> retrieve(DocArtifacts doc, List<String> queries);
}
