package org.memorag.rag.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memorag.rag.chunk.Chunk;

class EvidenceMergeTest {
    private static List<Chunk> chunks(int n) {
        List<Chunk> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String t = "chunk " + i;
            out.add(new Chunk(i, t, i * 10, i * 10 + t.length(), 2));
        }
        return out;
    }

    @Test
    void unionInAscendingIdOrderWithBestScoreAndNoPadding() {
        long[][] ids = {{7, 2, 5}, {2, 9, -1}, {-1, -1, -1}, {5, 0, 7}};
        float[][] scores = {{0.9f, 0.5f, 0.4f}, {0.8f, 0.3f, -1e30f}, {0f, 0f, 0f},
                {0.7f, 0.6f, 0.95f}};
        List<Evidence> ev = EvidenceMerge.merge(ids, scores, chunks(10));
        assertEquals(List.of(0, 2, 5, 7, 9), ev.stream().map(Evidence::chunkId).toList());
        assertEquals(List.of(0.6f, 0.8f, 0.7f, 0.95f, 0.3f),
                ev.stream().map(Evidence::score).toList());
        assertEquals("chunk 7", ev.get(3).text());
    }

    @Test
    void noQueriesOrOnlyPaddingGiveNoEvidence() {
        assertEquals(List.of(), EvidenceMerge.merge(new long[0][], new float[0][], chunks(3)));
        assertEquals(List.of(), EvidenceMerge.merge(new long[][] {{-1, -1}},
                new float[][] {{0, 0}}, chunks(0)));
    }

    @Test
    void anIdOutsideTheChunkListIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EvidenceMerge.merge(new long[][] {{3}}, new float[][] {{1}}, chunks(3)));
        assertTrue(e.getMessage().contains("chunk id 3"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> EvidenceMerge.merge(new long[][] {{-2}}, new float[][] {{1}}, chunks(3)));
    }

    @Test
    void shapesMustAgree() {
        assertThrows(IllegalArgumentException.class,
                () -> EvidenceMerge.merge(new long[][] {{1}}, new float[0][], chunks(3)));
        assertThrows(IllegalArgumentException.class,
                () -> EvidenceMerge.merge(new long[][] {{1, 2}}, new float[][] {{1}}, chunks(3)));
        assertThrows(IllegalArgumentException.class,
                () -> EvidenceMerge.merge(null, new float[0][], chunks(3)));
    }
}
