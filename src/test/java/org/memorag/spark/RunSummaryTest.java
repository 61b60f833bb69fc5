package org.memorag.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSummaryTest {

    @Test
    void throughputComesFromCountersAndWallTime(@TempDir Path dir) throws IOException {
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("documents", 10L);
        totals.put("tokens_memorized", 5000L);
        totals.put("questions_answered", 0L);
        RunSummary s = new RunSummary("memorize", "app-1", "local[2]",
                System.currentTimeMillis() - 10_000).counters(totals)
                .put("errors_by_code", Map.of("EMPTY_TEXT", 2L)).put("note", "a \"quoted\"\nline");
        double wall = (Double) s.fields().get("wall_s");
        assertEquals(10 * 3600.0 / wall, (Double) s.fields().get("documents_per_hour"), 1.0);
        s.writeTo(dir.toString(), new Configuration());
        String json = RunSummary.read(dir.toString(), new Configuration());
        assertTrue(json.contains("\"errors_by_code\":{\"EMPTY_TEXT\":2}"), json);
        assertTrue(json.contains("\"note\":\"a \\\"quoted\\\"\\nline\""), json);
        assertTrue(s.table().contains("documents_per_hour"), s.table());
    }
}
