package org.memorag.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuestionBalancerTest {
    private static List<QuestionBalancer.Question> demoLike() {
        // the demo corpus: 25, 11 and 7 questions, interleaved in the file
        List<QuestionBalancer.Question> qs = new ArrayList<>();
        long row = 0;
        int[] left = {25, 11, 7};
        String[] docs = {"a", "b", "c"};
        while (left[0] + left[1] + left[2] > 0) {
            for (int d = 0; d < 3; d++) {
                if (left[d] > 0) {
                    left[d]--;
                    qs.add(new QuestionBalancer.Question(docs[d], row++));
                }
            }
        }
        return qs;
    }

    @Test
    void aDocumentWithMostQuestionsIsSharedSoTasksAreEven() {
        Map<Long, Integer> parts = QuestionBalancer.assign(demoLike(), 2);
        assertEquals(43, parts.size());
        long[] loads = QuestionBalancer.loads(parts, 2);
        assertEquals(22, Math.max(loads[0], loads[1]), "22 | 21, not 25 | 18 by whole documents");
    }

    @Test
    void piecesKeepInputOrderAndNeverExceedTheCap() {
        List<QuestionBalancer.Question> qs = new ArrayList<>();
        for (long r = 0; r < 10; r++) {
            qs.add(new QuestionBalancer.Question("only", r));
        }
        Map<Long, Integer> parts = QuestionBalancer.assign(qs, 3);  // cap 4: 4 + 4 + 2
        assertArrayEquals(new long[] {4, 4, 2}, QuestionBalancer.loads(parts, 3));
        for (long r = 1; r < 10; r++) {
            if (r % 4 != 0) {
                assertEquals(parts.get(r - 1), parts.get(r), "rows of one piece stay together");
            }
        }
    }

    @Test
    void rowsWithoutADocumentAreAssignedToo() {
        List<QuestionBalancer.Question> qs = List.of(new QuestionBalancer.Question(null, 0),
                new QuestionBalancer.Question("d", 1), new QuestionBalancer.Question(null, 2));
        Map<Long, Integer> parts = QuestionBalancer.assign(qs, 4);
        assertEquals(3, parts.size());
    }

    @Test
    void deterministic() {
        assertEquals(QuestionBalancer.assign(demoLike(), 4), QuestionBalancer.assign(demoLike(), 4));
    }

    @Test
    void badPartitionCount() {
        assertThrows(IllegalArgumentException.class, () -> QuestionBalancer.assign(demoLike(), 0));
    }
}
