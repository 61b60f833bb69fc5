package org.memorag.rag.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.memorag.rag.chunk.TextLanguage;

class QueryPreparationTest {
    private final QueryPreparation en = QueryPreparation.forLanguage(TextLanguage.EN);
    private final QueryPreparation zh = QueryPreparation.forLanguage(TextLanguage.ZH);

    @Test
    void keepsLinesOfMoreThanThreeWordsThenTheQuestionLast() {
        String clues = "Abe was shot in Nara.\nthree words only\n\n  Yamagami   made the gun  \n";
        String surrogates = "Where Abe shot?\nWho shot the former prime minister?";
        List<String> q = en.forMemorag(clues, surrogates, null, "Who killed Abe?");
        assertEquals(List.of("Abe was shot in Nara.", "  Yamagami   made the gun  ",
                "Who shot the former prime minister?", "Who killed Abe?"), q);
    }

    @Test
    void splitsOnLineFeedOnlyAndKeepsCarriageReturns() {
        List<String> q = en.forMemorag("one two three four\r\nfive six seven eight", "", null, "q");
        assertEquals(List.of("one two three four\r", "five six seven eight", "q"), q);
        // "\r" alone is whitespace inside a line, not a separator: 4 words in one line
        assertEquals(List.of("a b\rc d", "q"), en.forMemorag("a b\rc d", "", null, "q"));
    }

    @Test
    void memoryAnswerGoesBeforeTheQuestionUnfiltered() {
        List<String> q = en.forMemorag("", "", "Nara", "Where?");
        assertEquals(List.of("Nara", "Where?"), q);
        assertEquals(List.of("", "Where?"), en.forMemorag("", "", "", "Where?"));
        assertEquals(List.of("Where?"), en.forMemorag("", "", null, "Where?"));
    }

    @Test
    void questionIsAlwaysLastEvenWhenShort() {
        assertEquals(List.of("?"), en.forMemorag("a\nb", "c d", null, "?"));
    }

    @Test
    void chineseCountsCharactersNotWords() {
        String clues = "贾宝玉衔玉而诞\n答：\n林黛玉\n甄士隐 梦幻";
        List<String> q = zh.forMemorag(clues, "谁是贾宝玉的父亲？", null, "宝玉是谁？");
        assertEquals(List.of("贾宝玉衔玉而诞", "甄士隐 梦幻", "谁是贾宝玉的父亲？", "宝玉是谁？"), q);
        assertTrue(zh.keeps("四个汉字"));
        assertFalse(zh.keeps("三个字"));
        assertFalse(zh.keeps(" 三 个 字 "));
    }

    @Test
    void upstreamWordRuleDropsChineseClues() {
        QueryPreparation compat = new QueryPreparation(TextLanguage.ZH, true);
        assertEquals(List.of("宝玉是谁？"), compat.forMemorag("贾宝玉衔玉而诞", "谁是贾宝玉的父亲？",
                null, "宝玉是谁？"));
        assertTrue(compat.keeps("a b c d"));
    }

    @Test
    void wordsArePythonWhitespaceRuns() {
        assertEquals(0, QueryPreparation.whitespaceWords(""));
        assertEquals(0, QueryPreparation.whitespaceWords(" \t "));
        assertEquals(4, QueryPreparation.whitespaceWords("a\u00A0b\u3000c\u2003d"));
        assertEquals(1, QueryPreparation.whitespaceWords("a\u200Bb"));
        assertEquals(2, QueryPreparation.nonWhitespaceCodePoints("😀 😀"));
    }

    @Test
    void summaryUsesKeyPointLinesWithoutAQuestion() {
        String keyPoints = "Key points:\n1. Abe was shot while giving a speech.\n2. Short one.\n"
                + "3. The suspect built his own gun.";
        assertEquals(List.of("1. Abe was shot while giving a speech.",
                "3. The suspect built his own gun."), en.forSummary(keyPoints));
    }

    @Test
    void summaryFallsBackToTheWholeTextWhenNoLineQualifies() {
        assertEquals(List.of("Short.\nAlso short."), en.forSummary("Short.\nAlso short."));
        assertThrows(IllegalArgumentException.class, () -> en.forSummary(" \n "));
    }

    @Test
    void nullsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> en.forMemorag(null, "", null, "q"));
        assertThrows(IllegalArgumentException.class, () -> en.forMemorag("", null, null, "q"));
        assertThrows(IllegalArgumentException.class, () -> en.forMemorag("", "", null, null));
        assertThrows(IllegalArgumentException.class, () -> en.forSummary(null));
        assertThrows(NullPointerException.class, () -> new QueryPreparation(null, false));
    }
}
