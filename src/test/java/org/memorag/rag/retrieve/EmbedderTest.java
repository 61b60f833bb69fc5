package org.memorag.rag.retrieve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbedderTest {

    @Test
    void batchesBySizeAndReturnsVectorsInInputOrder() {
        HashingTestEncoder enc = new HashingTestEncoder(16);
        Embedder embedder = new Embedder(enc, EmbedderConfig.DEFAULT.withBatchSize(3));
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            texts.add("text number " + i + " " + "x ".repeat((i * 5) % 7));
        }
        float[][] v = embedder.embedDocuments(texts);
        assertEquals(List.of(3, 3, 2), enc.calls.stream().map(List::size).toList());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(enc.vector(texts.get(i)), v[i], "vector " + i);
        }
        // batches hold texts of similar length: longest first
        List<String> first = enc.calls.get(0);
        int shortestOfFirst = first.stream().mapToInt(String::length).min().orElseThrow();
        int longestOfLast = enc.calls.get(2).stream().mapToInt(String::length).max().orElseThrow();
        assertTrue(shortestOfFirst >= longestOfLast);
    }

    @Test
    void longTextsGetSmallerBatchesUnderTheTokenBudget() {
        HashingTestEncoder enc = new HashingTestEncoder(16);
        Embedder embedder = new Embedder(enc, EmbedderConfig.DEFAULT.withBatchTokens(1024));
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            texts.add("long chunk " + i + " " + "word ".repeat(500)); // ~ 2,500 chars -> 512
        }
        for (int i = 0; i < 40; i++) {
            texts.add("short query " + i);
        }
        embedder.embedDocuments(texts);
        assertEquals(List.of(2, 2, 2, 32, 8), enc.calls.stream().map(List::size).toList());
    }

    @Test
    void parallelBatchesGiveTheSameVectorsInOrder() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            texts.add("text " + i + " about " + (i % 7) + " things");
        }
        float[][] serial = new Embedder(new HashingTestEncoder(16),
                EmbedderConfig.DEFAULT.withBatchSize(4)).embedDocuments(texts);
        HashingTestEncoder enc = new HashingTestEncoder(16);
        float[][] parallel = new Embedder(enc,
                EmbedderConfig.DEFAULT.withBatchSize(4).withParallelism(3)).embedDocuments(texts);
        assertEquals(13, enc.calls.size());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(serial[i], parallel[i], "vector " + i);
        }
    }

    @Test
    void encoderFailureInAParallelBatchSurfaces() {
        Embedder embedder = new Embedder(new HashingTestEncoder(8).lengthError(2),
                EmbedderConfig.DEFAULT.withBatchSize(1).withParallelism(2));
        assertThrows(IllegalStateException.class,
                () -> embedder.embedDocuments(List.of("a", "b", "c")));
    }

    @Test
    void documentsAndQueriesUseTheirOwnMaxLengthsAndOnlyQueriesGetTheInstruction() {
        HashingTestEncoder enc = new HashingTestEncoder(16);
        EmbedderConfig cfg = EmbedderConfig.DEFAULT
                .withQueryInstruction(EmbedderConfig.BGE_EN_QUERY_INSTRUCTION);
        Embedder embedder = new Embedder(enc, cfg);
        embedder.embedDocuments(List.of("a chunk"));
        embedder.embedQueries(List.of("a question"));
        assertEquals(List.of(512, 128), enc.maxTokensSeen);
        assertEquals(List.of("a chunk"), enc.calls.get(0));
        assertEquals(List.of("Represent this sentence for searching relevant passages: a question"),
                enc.calls.get(1));
    }

    @Test
    void defaultHasNoInstructionAsUpstream() {
        HashingTestEncoder enc = new HashingTestEncoder(8);
        new Embedder(enc, EmbedderConfig.DEFAULT).embedQueries(List.of("q"));
        assertEquals(List.of("q"), enc.calls.get(0));
    }

    @Test
    void emptyInputMakesNoEncoderCall() {
        HashingTestEncoder enc = new HashingTestEncoder(8);
        assertEquals(0, new Embedder(enc, EmbedderConfig.DEFAULT).embedDocuments(List.of()).length);
        assertEquals(0, enc.calls.size());
    }

    @Test
    void encoderOutputIsChecked() {
        Embedder wrongLength = new Embedder(new HashingTestEncoder(8).lengthError(1),
                EmbedderConfig.DEFAULT);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> wrongLength.embedDocuments(List.of("x")));
        assertTrue(e.getMessage().contains("dimension 8"), e.getMessage());
        Embedder notUnit = new Embedder(new HashingTestEncoder(8).scaleNorms(2f),
                EmbedderConfig.DEFAULT);
        assertThrows(IllegalStateException.class, () -> notUnit.embedQueries(List.of("x")));
    }

    @Test
    void badInputsAreRejected() {
        Embedder embedder = new Embedder(new HashingTestEncoder(8), EmbedderConfig.DEFAULT);
        List<String> withNull = new ArrayList<>();
        withNull.add("ok");
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> embedder.embedDocuments(withNull));
        assertThrows(IllegalArgumentException.class, () -> embedder.embedQueries(null));
        assertThrows(IllegalArgumentException.class,
                () -> new EmbedderConfig(0, 1024, 512, 128, "", 1));
        assertThrows(IllegalArgumentException.class,
                () -> new EmbedderConfig(8, 0, 512, 128, "", 1));
        assertThrows(IllegalArgumentException.class,
                () -> new EmbedderConfig(8, 1024, 0, 128, "", 1));
        assertThrows(IllegalArgumentException.class,
                () -> new EmbedderConfig(8, 1024, 512, -1, "", 1));
        assertThrows(IllegalArgumentException.class,
                () -> new EmbedderConfig(8, 1024, 512, 128, null, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new EmbedderConfig(8, 1024, 512, 128, "", 0));
        assertThrows(NullPointerException.class, () -> new Embedder(null, EmbedderConfig.DEFAULT));
    }
}
