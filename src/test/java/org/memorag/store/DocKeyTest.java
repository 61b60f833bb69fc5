package org.memorag.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DocKeyTest {
    private static final List<String> NASTY = List.of("..", ".", "../../etc/passwd", "a/b",
            "a\\b", "/abs", "_hidden", ".dot", "~", "~2F", "a b", "a%2Fb", "文档-1", "x".repeat(500),
            "x".repeat(499) + "y", "é".repeat(200), "s3a://bucket/key", "a:b", "NUL\u0000", "ok-1.2_3");

    @Test
    void keysNeverEscapeTheirFolder() {
        for (String id : NASTY) {
            String k = DocKey.of(id).key();
            assertTrue(k.matches("[A-Za-z0-9~][A-Za-z0-9._~-]*"), id + " -> " + k);
            assertTrue(!k.equals(".") && !k.equals("..") && !k.contains("/"), id + " -> " + k);
            assertTrue(k.length() <= 120, id + " -> " + k.length() + " chars");
        }
    }

    @Test
    void distinctIdsGiveDistinctKeys() {
        Set<String> keys = new HashSet<>();
        for (String id : NASTY) {
            assertTrue(keys.add(DocKey.of(id).key()), "collision for " + id);
        }
        assertNotEquals(DocKey.of("a/b").key(), DocKey.of("a~2Fb").key());
    }

    @Test
    void plainIdsStayReadable() {
        assertEquals("report-2024_v1.2", DocKey.of("report-2024_v1.2").key());
        assertEquals("a~2Fb", DocKey.of("a/b").key());
        assertEquals("~2E.", DocKey.of("..").key());
    }

    @Test
    void emptyIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> DocKey.of(""));
    }
}
