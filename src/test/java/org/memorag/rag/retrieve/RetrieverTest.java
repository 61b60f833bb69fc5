package org.memorag.rag.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.memorag.rag.chunk.Chunk;

/** Index and merge rules with FAISS and a deterministic hashing encoder (no meaning tested). */
class RetrieverTest {
    private static final String[] TOPICS = {"apple orchard harvest", "river boat fishing",
        "mountain snow climbing", "city train station", "desert camel caravan",
        "forest owl night", "ocean whale song", "garden rose thorn"};

    private static List<Chunk> chunks(int n) {
        List<Chunk> out = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < n; i++) {
            String t = "passage " + i + " " + TOPICS[i % TOPICS.length] + " number" + i;
            out.add(new Chunk(i, t, offset, offset + t.length(), 8));
            offset += t.length() + 2;
        }
        return out;
    }

    private static Embedder embedder(int dim) {
        return new Embedder(new HashingTestEncoder(dim), EmbedderConfig.DEFAULT);
    }

    @Test
    void mergesHitsOfAllQueriesInDocumentOrderWithBestScores() {
        List<Chunk> chunks = chunks(24);
        Embedder embedder = embedder(32);
        List<String> queries = List.of("whale song ocean", "train station city", "owl forest");
        try (Retriever r = Retriever.build(chunks, embedder, RetrievalConfig.DEFAULT)) {
            List<Evidence> ev = r.retrieve(queries);
            assertTrue(ev.size() <= 3 * queries.size());
            // expected: brute-force top-3 per query, union, ascending, best score
            float[][] c = embedder.embedDocuments(chunks.stream().map(Chunk::text).toList());
            float[][] q = embedder.embedQueries(queries);
            TreeMap<Integer, Float> expected = new TreeMap<>();
            for (float[] qv : q) {
                Integer[] order = new Integer[c.length];
                float[] s = new float[c.length];
                for (int i = 0; i < c.length; i++) {
                    order[i] = i;
                    for (int d = 0; d < qv.length; d++) {
                        s[i] += qv[d] * c[i][d];
                    }
                }
                Arrays.sort(order, (a, b) -> Float.compare(s[b], s[a]));
                for (int k = 0; k < 3; k++) {
                    expected.merge(order[k], s[order[k]], Math::max);
                }
            }
            assertEquals(new ArrayList<>(expected.keySet()),
                    ev.stream().map(Evidence::chunkId).toList());
            for (Evidence e : ev) {
                assertEquals(expected.get(e.chunkId()), e.score(), 1e-5, "chunk " + e.chunkId());
                assertEquals(chunks.get(e.chunkId()).text(), e.text());
            }
        }
    }

    @Test
    void fewerChunksThanHitsLeakNoInvalidId() {
        try (Retriever r = Retriever.build(chunks(2), embedder(16),
                RetrievalConfig.DEFAULT.withHits(5))) {
            assertEquals(List.of(0, 1), r.retrieve(List.of("apple", "boat"))
                    .stream().map(Evidence::chunkId).toList());
        }
    }

    @Test
    void eachQueryContributesAtMostHitsChunks() {
        try (Retriever r = Retriever.build(chunks(30), embedder(32),
                RetrievalConfig.DEFAULT.withHits(2))) {
            assertEquals(2, r.retrieve(List.of("mountain snow climbing")).size());
            assertTrue(r.retrieve(List.of("snow", "camel", "rose")).size() <= 6);
        }
    }

    @Test
    void aChunksOwnTextFindsItFirst() {
        List<Chunk> chunks = chunks(16);
        try (Retriever r = Retriever.build(chunks, embedder(64),
                RetrievalConfig.DEFAULT.withHits(1))) {
            for (Chunk c : chunks) {
                assertEquals(List.of(c.id()), r.retrieve(List.of(c.text())).stream()
                        .map(Evidence::chunkId).toList(), "chunk " + c.id());
            }
        }
    }

    @Test
    void emptyDocumentRetrievesNothing() {
        try (Retriever r = Retriever.build(List.of(), embedder(16), RetrievalConfig.DEFAULT)) {
            assertEquals(List.of(), r.retrieve(List.of("anything at all")));
            assertEquals(0, r.index().chunks().size());
        }
    }

    @Test
    void ivfIsTrainedOnTheChunkVectors() {
        RetrievalConfig ivf = RetrievalConfig.DEFAULT.withIndexFactory("IVF4,Flat").withNprobe(4);
        List<Chunk> chunks = chunks(64);
        try (Retriever r = Retriever.build(chunks, embedder(16), ivf)) {
            assertEquals("IVF4,Flat", r.index().description());
            for (int id : new int[] {5, 40, 63}) {
                assertTrue(r.retrieve(List.of(chunks.get(id).text())).stream()
                        .anyMatch(e -> e.chunkId() == id && e.score() > 0.999f), "chunk " + id);
            }
        }
    }

    @Test
    void ivfWithTooFewChunksFallsBackToFlatOrFailsClearly() {
        RetrievalConfig ivf = RetrievalConfig.DEFAULT.withIndexFactory("IVF16,Flat");
        try (Retriever r = Retriever.build(chunks(5), embedder(16), ivf)) {
            assertTrue(r.index().description().startsWith("Flat (fallback from IVF16,Flat"),
                    r.index().description());
            assertEquals(3, r.retrieve(List.of("apple")).size());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Retriever.build(chunks(5), embedder(16), ivf.withFallbackToFlat(false)));
        assertTrue(e.getMessage().contains("5 chunk vectors"), e.getMessage());
    }

    @Test
    void restoredIndexAnswersLikeTheBuiltOne() {
        List<Chunk> chunks = chunks(12);
        Embedder embedder = embedder(16);
        List<String> queries = List.of("rose garden", "fishing boat on the river");
        try (Retriever built = Retriever.build(chunks, embedder, RetrievalConfig.DEFAULT);
                Retriever restored = Retriever.restore(chunks, built.index().indexBytes(),
                        embedder, RetrievalConfig.DEFAULT)) {
            assertEquals(built.retrieve(queries), restored.retrieve(queries));
        }
    }

    @Test
    void mismatchedIndexChunksOrEncoderAreRejected() {
        List<Chunk> chunks = chunks(6);
        byte[] bytes;
        try (Retriever r = Retriever.build(chunks, embedder(16), RetrievalConfig.DEFAULT)) {
            bytes = r.index().indexBytes();
        }
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                () -> Retriever.restore(chunks, bytes, embedder(32), RetrievalConfig.DEFAULT));
        assertTrue(dim.getMessage().contains("another encoder"), dim.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> Retriever.restore(chunks(7), bytes, embedder(16), RetrievalConfig.DEFAULT));
        assertTrue(count.getMessage().contains("6 vectors"), count.getMessage());
    }

    @Test
    void badInputsAreRejected() {
        Embedder e = embedder(16);
        try (Retriever r = Retriever.build(chunks(4), e, RetrievalConfig.DEFAULT)) {
            assertThrows(IllegalArgumentException.class, () -> r.retrieve(List.of()));
            assertThrows(IllegalArgumentException.class, () -> r.retrieve(null));
            assertThrows(IllegalArgumentException.class,
                    () -> r.index().search(new float[][] {new float[8]}, 3));
            assertThrows(IllegalArgumentException.class,
                    () -> r.index().search(new float[][] {new float[16]}, 0));
        }
        assertThrows(IllegalArgumentException.class, () -> RetrievalConfig.DEFAULT.withHits(0));
        assertThrows(IllegalArgumentException.class, () -> RetrievalConfig.DEFAULT.withHits(-1));
        assertThrows(IllegalArgumentException.class,
                () -> RetrievalConfig.DEFAULT.withIndexFactory(" "));
        assertThrows(IllegalArgumentException.class, () -> RetrievalConfig.DEFAULT.withNprobe(-1));
        assertThrows(IllegalArgumentException.class,
                () -> Retriever.build(null, e, RetrievalConfig.DEFAULT));
        List<Chunk> misnumbered = List.of(new Chunk(1, "x", 0, 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Retriever.build(misnumbered, e, RetrievalConfig.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> DocumentIndex.build(chunks(2),
                new float[][] {new float[16]}, 16, RetrievalConfig.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> DocumentIndex.build(chunks(1),
                new float[][] {new float[15]}, 16, RetrievalConfig.DEFAULT));
    }
}
