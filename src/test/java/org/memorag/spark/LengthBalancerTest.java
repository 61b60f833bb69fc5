package org.memorag.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LengthBalancerTest {

    @Test
    void largestDocumentsGoToDifferentPartitions() {
        List<LengthBalancer.Item> items = new ArrayList<>();
        items.add(new LengthBalancer.Item("big1", 240_000));
        items.add(new LengthBalancer.Item("big2", 230_000));
        for (int i = 0; i < 40; i++) {
            items.add(new LengthBalancer.Item("small" + i, 10_000 + i));
        }
        Map<String, Integer> parts = LengthBalancer.assign(items, 2);
        assertNotEquals(parts.get("big1"), parts.get("big2"));
        long[] loads = LengthBalancer.loads(items, parts, 2);
        long max = Math.max(loads[0], loads[1]);
        long min = Math.min(loads[0], loads[1]);
        assertTrue(max - min <= 10_039, "loads " + loads[0] + " vs " + loads[1]);
        assertEquals(42, parts.size());
    }

    @Test
    void lptBeatsHashOnSkewedLengths() {
        List<LengthBalancer.Item> items = List.of(new LengthBalancer.Item("a", 7),
                new LengthBalancer.Item("b", 5), new LengthBalancer.Item("c", 4),
                new LengthBalancer.Item("d", 3), new LengthBalancer.Item("e", 1));
        long[] loads = LengthBalancer.loads(items, LengthBalancer.assign(items, 2), 2);
        assertEquals(10, Math.max(loads[0], loads[1]));   // 7+3 | 5+4+1
    }

    @Test
    void assignmentIsDeterministic() {
        List<LengthBalancer.Item> items = List.of(new LengthBalancer.Item("x", 5),
                new LengthBalancer.Item("y", 5), new LengthBalancer.Item("z", 5));
        assertEquals(LengthBalancer.assign(items, 2), LengthBalancer.assign(
                List.of(items.get(2), items.get(0), items.get(1)), 2));
    }
}
