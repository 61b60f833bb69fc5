package org.memorag.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Spreads documents over partitions by length, not by hash: longest first, each to the partition
 * with the least work so far (greedy LPT bin packing). Memorizing is roughly linear in a
 * document's length, so the largest documents land in different tasks and the stage's slowest
 * task stays close to the average. Deterministic: ties go to the lower doc_id / partition.
 */
public final class LengthBalancer {
    private LengthBalancer() {}

    /** A document and its weight (its length in characters). */
    public record Item(String docId, long weight) implements java.io.Serializable {}

    /** The partition (0..partitions-1) of each document. */
    public static Map<String, Integer> assign(List<Item> items, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingLong(Item::weight).reversed()
                .thenComparing(Item::docId));
        // (load, partition): least loaded first, lower index on ties
        PriorityQueue<long[]> bins = new PriorityQueue<>((a, b) -> a[0] != b[0]
                ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int p = 0; p < partitions; p++) {
            bins.add(new long[] {0L, p});
        }
        Map<String, Integer> out = new HashMap<>();
        for (Item item : sorted) {
            long[] bin = bins.poll();
            out.put(item.docId(), (int) bin[1]);
            bin[0] += Math.max(1, item.weight());
            bins.add(bin);
        }
        return out;
    }

    /** The total weight per partition for an assignment (for logs and tests). */
    public static long[] loads(List<Item> items, Map<String, Integer> assignment, int partitions) {
        long[] loads = new long[partitions];
        for (Item item : items) {
            loads[assignment.get(item.docId())] += item.weight();
        }
        return loads;
    }
}
