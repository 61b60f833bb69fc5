package org.memorag.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {

    @Test
    void memorizeDefaultsTheManifestIntoTheStore() {
        MemorizeArgs a = MemorizeArgs.parse(new String[] {"--corpus", "docs.jsonl", "--store",
            "s3a://b/store/", "--conf", "a.properties", "--conf", "b.properties"});
        assertEquals("s3a://b/store", a.store());
        assertEquals("s3a://b/store/manifest", a.out());
        assertEquals(List.of("a.properties", "b.properties"), a.confFiles());
        assertNull(a.partitions());
    }

    @Test
    void answerTaskDefaultsToMemoragAndIsChecked() {
        AnswerArgs a = AnswerArgs.parse(new String[] {"--questions", "q.jsonl", "--store", "st",
            "--out", "answers", "--partitions", "4"});
        assertEquals("memorag", a.task());
        assertEquals("st/manifest", a.manifest());
        assertEquals(4, a.partitions());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnswerArgs.parse(new String[] {"--questions", "q", "--store", "s", "--out",
                    "o", "--task", "choice"}));
        assertTrue(e.getMessage().contains("--task choice"), e.getMessage());
    }

    @Test
    void badFlagsSayWhich() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MemorizeArgs.parse(
                new String[] {"--store", "s"})).getMessage().contains("--corpus is required"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MemorizeArgs.parse(
                new String[] {"--corpus", "c", "--store", "s", "--shards", "2"})).getMessage()
                .contains("unknown flag --shards"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MemorizeArgs.parse(
                new String[] {"--corpus", "c", "--store", "s", "--partitions", "0"})).getMessage()
                .contains("--partitions must be a positive integer"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MemorizeArgs.parse(
                new String[] {"--corpus", "--store", "s"})).getMessage()
                .contains("--corpus needs a value"));
    }
}
