package org.memorag.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Spreads questions over the answer tasks by count, not by a hash of doc_id: a document's
 * questions (in input order) are cut into pieces of at most ceil(total / partitions), and the
 * pieces go to partitions with {@link LengthBalancer}'s greedy rule. A document with many
 * questions is then answered by several tasks at once, each loading its memory and index once
 * (tens of milliseconds against seconds of answering), instead of one task answering them all
 * while the other slots idle. Deterministic for the same input.
 */
final class QuestionBalancer {
    private QuestionBalancer() {}

    /** A question: its document (null for rows without one) and its input row index. */
    record Question(String docId, long rowIndex) implements Serializable {}

    /** Where each question goes: row index to partition. */
    static Map<Long, Integer> assign(List<Question> questions, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        Map<String, List<Long>> byDoc = new LinkedHashMap<>();
        List<Question> sorted = new ArrayList<>(questions);
        sorted.sort((a, b) -> Long.compare(a.rowIndex(), b.rowIndex()));
        for (Question q : sorted) {
            byDoc.computeIfAbsent(Objects.requireNonNullElse(q.docId(), ""),
                    k -> new ArrayList<>()).add(q.rowIndex());
        }
        int cap = (int) Math.max(1, (questions.size() + partitions - 1) / partitions);
        List<LengthBalancer.Item> pieces = new ArrayList<>();
        Map<String, List<Long>> rowsOfPiece = new HashMap<>();
        for (Map.Entry<String, List<Long>> e : byDoc.entrySet()) {
            List<Long> rows = e.getValue();
            for (int from = 0, piece = 0; from < rows.size(); from += cap, piece++) {
                // doc_id then a separator no doc_id can make ambiguous: the piece number
                String id = e.getKey() + "\u0000" + piece;
                List<Long> part = rows.subList(from, Math.min(rows.size(), from + cap));
                pieces.add(new LengthBalancer.Item(id, part.size()));
                rowsOfPiece.put(id, part);
            }
        }
        Map<String, Integer> partOfPiece = LengthBalancer.assign(pieces, partitions);
        Map<Long, Integer> out = new HashMap<>();
        partOfPiece.forEach((piece, p) -> rowsOfPiece.get(piece).forEach(r -> out.put(r, p)));
        return out;
    }

    /** Questions per partition for an assignment (for logs and tests). */
    static long[] loads(Map<Long, Integer> assignment, int partitions) {
        long[] loads = new long[partitions];
        assignment.values().forEach(p -> loads[p]++);
        return loads;
    }
}
