package org.memorag.rag.retrieve;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.memorag.rag.chunk.Chunk;

/**
 * MemoRAG's merge of per-query hits (BEACON_SPEC.md §1.9 step 2, invariant T15): the union of
 * every query's chunk ids, {@code -1} (no hit) dropped, each chunk once, in ascending chunk id —
 * document order, not score order. Upstream discards scores; we keep each chunk's best score for
 * provenance without letting it change the order.
 */
public final class EvidenceMerge {
    private EvidenceMerge() {}

    /**
     * Merges the hits of a batched search.
     *
     * @param ids    one row per query of chunk ids, {@code -1} for an empty slot
     * @param scores inner-product scores, same shape as {@code ids} (higher is closer)
     * @param chunks the document's chunks; id {@code i} is {@code chunks.get(i)}
     */
    public static List<Evidence> merge(long[][] ids, float[][] scores, List<Chunk> chunks) {
        if (ids == null || scores == null || chunks == null) {
            throw new IllegalArgumentException("ids, scores and chunks must not be null");
        }
        if (ids.length != scores.length) {
            throw new IllegalArgumentException(ids.length + " id rows but " + scores.length
                    + " score rows; a search returns one row of each per query");
        }
        TreeMap<Integer, Float> best = new TreeMap<>();
        for (int q = 0; q < ids.length; q++) {
            if (ids[q].length != scores[q].length) {
                throw new IllegalArgumentException("query " + q + ": " + ids[q].length
                        + " ids but " + scores[q].length + " scores");
            }
            for (int j = 0; j < ids[q].length; j++) {
                long id = ids[q][j];
                if (id == -1L) {
                    continue;
                }
                if (id < 0 || id >= chunks.size()) {
                    throw new IllegalStateException("query " + q + " hit chunk id " + id
                            + " but the document has " + chunks.size() + " chunks: the index"
                            + " and the chunk list do not belong together; rebuild the index");
                }
                best.merge((int) id, scores[q][j], Math::max);
            }
        }
        List<Evidence> out = new ArrayList<>(best.size());
        best.forEach((id, score) -> out.add(new Evidence(id, score, chunks.get(id).text())));
        return out;
    }
}
