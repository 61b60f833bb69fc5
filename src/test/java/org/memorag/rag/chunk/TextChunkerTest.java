package org.memorag.rag.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextChunkerTest {

    @ParameterizedTest(name = "{0} at {1} tokens")
    @CsvSource({
        FixtureDocs.KJV_GENESIS + ", 512",
        FixtureDocs.QMSUM + ", 512",
        FixtureDocs.LOOGLE_ABE + ", 512",
        FixtureDocs.LOOGLE_ABE + ", 64",
        FixtureDocs.VCSUM + ", 2048",
        FixtureDocs.VCSUM + ", 100",
        FixtureDocs.HONGLOUMENG + ", 2048",
        FixtureDocs.HONGLOUMENG + ", 256",
    })
    void realDocumentChunksFitTheBudgetAndCoverTheTextInOrder(String doc, int budget) {
        String text = FixtureDocs.read(doc);
        List<Chunk> chunks = new TextChunker(budget).chunk(text);
        assertTrue(chunks.size() > 1, doc + " should need several chunks at " + budget);
        assertCoversInOrder(text, chunks);
        for (Chunk c : chunks) {
            int tokens = Cl100kTokens.count(c.text());
            assertEquals(tokens, c.nTokens(), "chunk " + c.id() + " nTokens");
            assertTrue(tokens <= budget, "chunk " + c.id() + " of " + doc + " has " + tokens
                    + " tokens > budget " + budget);
        }
    }

    @Test
    void chunksAreFilledNotFragmented() {
        // the Abe article is one line: sentences are merged up to the budget
        String text = FixtureDocs.read(FixtureDocs.LOOGLE_ABE);
        List<Chunk> chunks = new TextChunker(512).chunk(text);
        int total = Cl100kTokens.count(text);
        assertTrue(chunks.size() <= total / 512 * 1.25 + 1, chunks.size() + " chunks for "
                + total + " tokens at 512 is too many: units are not merged");
    }

    @Test
    void paragraphAndLineBoundariesArePreferred() {
        String text = FixtureDocs.read(FixtureDocs.KJV_GENESIS);
        List<Chunk> chunks = new TextChunker(512).chunk(text);
        long atNewline = chunks.stream().filter(c -> endsAtNewlineRun(text, c)).count();
        assertEquals(chunks.size(), atNewline, "every Genesis chunk should end at a line end");
        // a verse line is never cut: every chunk starts at a line start
        for (Chunk c : chunks) {
            assertTrue(c.charStart() == 0 || text.charAt(c.charStart() - 1) == '\n',
                    "chunk " + c.id() + " starts inside a line at " + c.charStart());
        }
    }

    @Test
    void englishChunksEndAtSentenceEndsWhenParagraphsAreTooLong() {
        // the Abe article has no line breaks at all: only sentences and words are left
        String text = FixtureDocs.read(FixtureDocs.LOOGLE_ABE);
        List<Chunk> chunks = new TextChunker(128).chunk(text);
        long atSentence = chunks.stream()
                .filter(c -> c.text().matches("(?s).*[.?!][\"')\\]]*")).count();
        assertTrue(atSentence >= chunks.size() * 0.9, atSentence + " of " + chunks.size()
                + " chunks end at a sentence end");
    }

    @Test
    void meetingTranscriptChunksEndAtUtterances() {
        String text = FixtureDocs.read(FixtureDocs.QMSUM);
        List<Chunk> chunks = new TextChunker(512).chunk(text);
        long atNewline = chunks.stream().filter(c -> endsAtNewlineRun(text, c)).count();
        assertTrue(atNewline >= chunks.size() * 0.8, atNewline + " of " + chunks.size()
                + " chunks end at a line break");
    }

    @Test
    void splitsChineseOnFullWidthStops() {
        // Hong Lou Meng paragraphs exceed 256 tokens: chunks must end at 。．！？ (or a closing
        // quote after one), never mid-sentence, whenever a sentence fits the budget
        String text = FixtureDocs.read(FixtureDocs.HONGLOUMENG);
        List<Chunk> chunks = new TextChunker(256).chunk(text);
        long atStop = chunks.stream()
                .filter(c -> endsAtNewlineRun(text, c) || endsWithCjkStop(c.text())).count();
        assertTrue(atStop >= chunks.size() * 0.95, atStop + " of " + chunks.size()
                + " chunks end at a sentence or paragraph end");
        long midParagraph = chunks.stream().filter(c -> !endsAtNewlineRun(text, c)).count();
        assertTrue(midParagraph > chunks.size() / 4, "the test should exercise sentence ends");
    }

    @Test
    void vcsumChunksEndAtSentenceOrLineEnds() {
        String text = FixtureDocs.read(FixtureDocs.VCSUM);
        List<Chunk> chunks = new TextChunker(100).chunk(text);
        long ok = chunks.stream()
                .filter(c -> endsAtNewlineRun(text, c) || endsWithCjkStop(c.text())
                        || c.text().endsWith("，") || c.text().endsWith("："))
                .count();
        assertTrue(ok >= chunks.size() * 0.9, ok + " of " + chunks.size());
    }

    @Test
    void emptyAndWhitespaceOnlyTextsGiveNoChunks() {
        TextChunker chunker = new TextChunker(16);
        assertEquals(List.of(), chunker.chunk(""));
        assertEquals(List.of(), chunker.chunk(" \n\n\t \r\n\u3000\u00A0 "));
    }

    @Test
    void shortTextIsOneTrimmedChunk() {
        String text = "\n\n  Hello world.  \n";
        List<Chunk> chunks = new TextChunker(512).chunk(text);
        assertEquals(List.of(new Chunk(0, "Hello world.", 4, 16, 3)), chunks);
    }

    @Test
    void oneEnormousWordIsSplitIntoGraphemeRuns() {
        StringBuilder sb = new StringBuilder("start ");
        for (int i = 0; i < 20_000; i++) {
            sb.append((char) ('a' + (i * 7919) % 26));
        }
        String text = sb.append(" end").toString();
        List<Chunk> chunks = new TextChunker(50).chunk(text);
        assertCoversInOrder(text, chunks);
        for (Chunk c : chunks) {
            assertTrue(c.nTokens() <= 50, "chunk " + c.id() + " has " + c.nTokens());
        }
        int total = Cl100kTokens.count(text);
        assertTrue(chunks.size() <= total / 50 * 1.3 + 2, chunks.size() + " chunks for "
                + total + " tokens: grapheme runs are not merged up to the budget");
    }

    @Test
    void crlfTextBreaksAtParagraphsAndNeverInsideCrlf() {
        String para = "This is a sentence of the paragraph. Here is another one for length.";
        String text = String.join("\r\n\r\n", para, para + "\r\n" + para, para, para);
        List<Chunk> chunks = new TextChunker(40).chunk(text);
        assertCoversInOrder(text, chunks);
        for (Chunk c : chunks) {
            assertFalse(c.text().startsWith("\n") || c.text().endsWith("\r"), c.toString());
            assertTrue(c.nTokens() <= 40);
            assertTrue(c.charEnd() == text.length() || text.startsWith("\r\n", c.charEnd()),
                    "chunk " + c.id() + " should end at a line break");
        }
    }

    @Test
    void neverSplitsAGraphemeCluster() {
        String text = "Family 👨‍👩‍👧 and flags 🇫🇷🇩🇪🇯🇵 with skin 👍🏽👍🏿, café, "
                + "e\u0301e\u0301e\u0301, 한국어 \u1100\u1161\u11A8, क्षत्रिय. 😀😀😀😀";
        Set<Integer> graphemeBounds = new HashSet<>();
        Matcher m = Pattern.compile("\\X").matcher(text);
        while (m.find()) {
            graphemeBounds.add(m.start());
            graphemeBounds.add(m.end());
        }
        for (int budget = 1; budget <= 12; budget++) {
            List<Chunk> chunks = new TextChunker(budget).chunk(text);
            assertCoversInOrder(text, chunks);
            for (Chunk c : chunks) {
                assertTrue(graphemeBounds.contains(c.charStart())
                        && graphemeBounds.contains(c.charEnd()), "budget " + budget
                        + ": chunk " + c.id() + " [" + c.text() + "] cuts a grapheme cluster");
                boolean single = c.text().matches("\\X");
                assertTrue(c.nTokens() <= budget || single, "budget " + budget + ": chunk "
                        + c.id() + " over budget but not a single grapheme: " + c.text());
            }
        }
    }

    @Test
    void aGraphemeLargerThanTheBudgetIsTheOnlyOversizedChunk() {
        String family = "👨‍👩‍👧";
        assertTrue(Cl100kTokens.count(family) > 2);
        List<Chunk> chunks = new TextChunker(2).chunk("a " + family + " b");
        assertEquals(List.of("a", family, "b"), chunks.stream().map(Chunk::text).toList());
    }

    @Test
    void mixedScriptsStayWithinBudget() {
        String text = "English sentence one. 中文的句子在这里。Русский текст тоже здесь. "
                + "日本語の文もあります。\nالعربية هنا أيضا. Ελληνικά κείμενα! 한국어 문장입니다.";
        for (int budget : new int[] {3, 8, 20, 1000}) {
            List<Chunk> chunks = new TextChunker(budget).chunk(text);
            assertCoversInOrder(text, chunks);
            chunks.forEach(c -> assertTrue(c.nTokens() <= budget, budget + ": " + c));
        }
        assertEquals(1, new TextChunker(1000).chunk(text).size());
    }

    @Test
    void specialTokenTextIsCountedAsPlainText() {
        List<Chunk> chunks = new TextChunker(100).chunk("before <|endoftext|> after");
        assertEquals(1, chunks.size());
        assertTrue(chunks.get(0).nTokens() > 3);
    }

    @Test
    void sameInputGivesSameChunks() {
        String text = FixtureDocs.read(FixtureDocs.VCSUM);
        assertEquals(new TextChunker(300).chunk(text), new TextChunker(300).chunk(text));
        TextChunker one = new TextChunker(300);
        assertEquals(one.chunk(text), one.chunk(text));
    }

    @Test
    void languageDefaultsAreMemoragsBudgets() {
        assertEquals(512, TextChunker.forLanguage(TextLanguage.EN).capacityTokens());
        assertEquals(2048, TextChunker.forLanguage(TextLanguage.ZH).capacityTokens());
        assertEquals(TextLanguage.ZH, TextLanguage.of("zh-CN"));
        assertEquals(TextLanguage.EN, TextLanguage.of(" EN "));
        assertThrows(IllegalArgumentException.class, () -> TextLanguage.of("fr"));
        assertThrows(IllegalArgumentException.class, () -> TextLanguage.of(null));
    }

    @Test
    void badInputsAreRejectedWithAReason() {
        IllegalArgumentException zero =
                assertThrows(IllegalArgumentException.class, () -> new TextChunker(0));
        assertTrue(zero.getMessage().contains("> 0"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TextChunker(-5));
        assertThrows(IllegalArgumentException.class, () -> new TextChunker(10).chunk(null));
        assertThrows(IllegalArgumentException.class, () -> new Chunk(0, "", 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Chunk(0, "ab", 3, 4, 1));
    }

    /** Chunks are in order, non-overlapping, exact substrings, trimmed; gaps are whitespace. */
    static void assertCoversInOrder(String text, List<Chunk> chunks) {
        int prevEnd = 0;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertEquals(i, c.id(), "chunk ids are positions");
            assertTrue(c.charStart() >= prevEnd, "chunk " + i + " overlaps the previous one");
            assertEquals(text.substring(c.charStart(), c.charEnd()), c.text(), "chunk " + i);
            assertEquals(c.text().strip(), c.text(), "chunk " + i + " is not trimmed");
            assertTrue(text.substring(prevEnd, c.charStart()).isBlank(),
                    "text before chunk " + i + " is lost: " + text.substring(prevEnd,
                            Math.min(c.charStart(), prevEnd + 80)));
            prevEnd = c.charEnd();
        }
        assertTrue(text.substring(prevEnd).isBlank(), "text after the last chunk is lost");
    }

    private static boolean endsAtNewlineRun(String text, Chunk c) {
        int e = c.charEnd();
        while (e < text.length() && (text.charAt(e) == ' ' || text.charAt(e) == '\t')) {
            e++;
        }
        return e == text.length() || text.charAt(e) == '\n' || text.charAt(e) == '\r';
    }

    private static boolean endsWithCjkStop(String s) {
        String t = s.replaceAll("[”’」』）》\"')]+$", "");
        return !t.isEmpty() && "。．！？｡!?".indexOf(t.charAt(t.length() - 1)) >= 0;
    }
}
