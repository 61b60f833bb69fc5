package org.memorag.rag.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.memorag.engine.encode.Encoder;
import org.memorag.rag.chunk.Chunk;
import org.memorag.rag.chunk.FixtureDocs;
import org.memorag.rag.chunk.TextChunker;
import org.memorag.rag.chunk.TextLanguage;

/**
 * Retrieval with the real BGE-small model over a long real document (the LooGLE Wikipedia
 * article on the assassination of Shinzo Abe, 54 K chars, ~24 chunks of 512 tokens):
 * hand-written questions must find the chunk that states the fact among their 3 hits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetrieverBgeTest {
    private Encoder bge;
    private Retriever retriever;
    private List<Chunk> chunks;

    @BeforeAll
    void buildIndex() {
        bge = TestEncoders.bgeSmall();
        chunks = TextChunker.forLanguage(TextLanguage.EN)
                .chunk(FixtureDocs.read(FixtureDocs.LOOGLE_ABE));
        retriever = Retriever.build(chunks, new Embedder(bge, EmbedderConfig.DEFAULT),
                RetrievalConfig.DEFAULT);
    }

    @AfterAll
    void close() {
        retriever.close();
        bge.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "At what time was Abe pronounced dead? | pronounced dead at the hospital at 5:03 pm",
        "What kind of weapon was Abe shot with? | homemade gun resembling a sawn-off",
        "Where was Abe's state funeral held? | held on 27 September at the Nippon Budokan",
        "How old was Tetsuya Yamagami when he was arrested? | He was 41 years old",
        "Near which railway station was Abe giving his speech? | north exit of Yamato-Saidaiji",
        "Which hospital was Abe taken to after he was shot? | Nara Medical University Hospital",
        "How many police officers guarded the state funeral? | 200,000 police officers",
    })
    void questionFindsThePassageWithTheFactInItsTopThree(String question, String fact) {
        long holding = chunks.stream().filter(c -> c.text().contains(fact)).count();
        assertTrue(holding >= 1, "the fact must be inside one chunk: " + fact);
        List<Evidence> ev = retriever.retrieve(List.of(question));
        assertTrue(ev.size() <= 3);
        assertTrue(ev.stream().anyMatch(e -> e.text().contains(fact)), "no hit of '" + question
                + "' holds '" + fact + "'; hits: " + ev.stream().map(Evidence::chunkId).toList());
    }

    @Test
    void memoragQueryListRetrievesTheUnionInDocumentOrder() {
        QueryPreparation prep = QueryPreparation.forLanguage(TextLanguage.EN);
        List<String> queries = prep.forMemorag(
                "Abe was shot during a campaign speech in Nara.\nshort clue",
                "Who was the suspect in the shooting?\nWhat was the motive of the attacker?",
                null, "Why was Abe killed?");
        assertEquals(4, queries.size());
        List<Evidence> ev = retriever.retrieve(queries);
        assertTrue(ev.size() >= 3 && ev.size() <= 12, ev.size() + " chunks");
        List<Integer> ids = new ArrayList<>(ev.stream().map(Evidence::chunkId).toList());
        List<Integer> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertEquals(sorted, ids);
        for (Evidence e : ev) {
            assertTrue(e.score() > 0.3f && e.score() <= 1.0001f, "cosine " + e.score());
        }
    }

    @Test
    void aChunksOwnTextRetrievesItFirst() {
        for (int id : new int[] {0, chunks.size() / 2, chunks.size() - 1}) {
            float[] q = new Embedder(bge, EmbedderConfig.DEFAULT)
                    .embedDocuments(List.of(chunks.get(id).text()))[0];
            List<Evidence> ev = retriever.index().search(new float[][] {q}, 1);
            assertEquals(id, ev.get(0).chunkId());
            // the quantized model scales activations per call, so a text embedded alone and in
            // a batch differ slightly (cosine ~0.998, measured)
            assertEquals(1.0, ev.get(0).score(), 5e-3);
        }
    }

    @Test
    void chunksLongerThanTheEncoderLimitAreCounted() {
        assertEquals(4, bge.tokenCount("hello world"), "[CLS] hello world [SEP]");
        long expected = chunks.stream().filter(c -> bge.tokenCount(c.text()) > 512).count();
        assertEquals(expected, retriever.truncatedChunks());
        Embedder embedder = new Embedder(bge, EmbedderConfig.DEFAULT);
        // 1024-token chunks (cl100k) are about 1000 WordPiece tokens: all but maybe the last cut
        List<String> big = new TextChunker(1024).chunk(FixtureDocs.read(FixtureDocs.LOOGLE_ABE))
                .stream().map(Chunk::text).toList();
        int cut = embedder.truncatedDocuments(big);
        assertTrue(cut >= big.size() - 1 && cut > 0, cut + " of " + big.size());
        try (Retriever r = Retriever.build(new TextChunker(1024).chunk(
                FixtureDocs.read(FixtureDocs.LOOGLE_ABE)), embedder, RetrievalConfig.DEFAULT)) {
            assertEquals(cut, r.truncatedChunks());
        }
        assertEquals(0, embedder.truncatedDocuments(List.of("a short chunk")));
    }
}
