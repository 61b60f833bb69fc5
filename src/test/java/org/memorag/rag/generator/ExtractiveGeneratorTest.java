package org.memorag.rag.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.memorag.rag.WordHashEncoder;

class ExtractiveGeneratorTest {
    private final ExtractiveGenerator one = new ExtractiveGenerator(new WordHashEncoder(), 1, "",
            128, 512);

    @Test
    void picksTheSentenceClosestToTheQuestion() {
        List<String> passages = List.of("The ship left the harbour at dawn. Nobody saw it go.",
                "Later that year the captain married Ellen Hart in Bristol.\nThe crew drank.");
        Generated g = one.generate(new GenerationRequest("prompt",
                "Whom did the captain marry?", passages, 64, null));
        assertEquals("Later that year the captain married Ellen Hart in Bristol.", g.text());
    }

    @Test
    void returnsTheConfiguredNumberOfSentencesBestFirst() {
        ExtractiveGenerator two = new ExtractiveGenerator(new WordHashEncoder(), 2, "", 128, 512);
        Generated g = two.generate(new GenerationRequest("p", "red apples grow",
                List.of("Bananas are yellow. Red apples grow on trees. Some apples are red."),
                64, null));
        assertEquals("Red apples grow on trees. Some apples are red.", g.text());
    }

    @Test
    void splitsChineseOnFullWidthStops() {
        assertEquals(List.of("第一句。", "第二句！", "第三句？"),
                Sentences.split("第一句。第二句！第三句？"));
    }

    @Test
    void noEvidenceGivesAnEmptyAnswer() {
        assertEquals("", one.generate(new GenerationRequest("p", "q", List.of(), 8, null)).text());
    }

    @Test
    void summaryWithoutQuestionTakesTheMostCentralSentence() {
        Generated g = one.generate(new GenerationRequest("p", null, List.of(
                "Cats chase mice. Cats chase mice in barns. Cats chase dogs. Stocks fell."), 8, null));
        assertEquals("Cats chase mice.", g.text());
    }
}
