package org.memorag.rag.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memorag.rag.config.MemoragConfig;

class PromptsTest {
    /** BEACON_SPEC.md A.4: key -> {en sha256, zh sha256}. */
    private static final Map<PromptKey, String[]> SHA256 = Map.of(
            PromptKey.CONTEXT, new String[] {
                "1753f7570256e60c6eb87d2892256f8df72e5a08255444aef4db8926c10af4b4",
                "79193848505af4ab986a9e4299fc10f5b998425c214651b4125c4fba54909b88"},
            PromptKey.SUR, new String[] {
                "4d350bc9d8ba3da971a622da65abbcf66ae1244b76a6dc0c78a44b8276e70fe6",
                "985dd82674a89614c75e928be114b436f7dc8e8e93737da7099a87128347b964"},
            PromptKey.SPAN, new String[] {
                "3417deb1d07679f4144ecf97fda3a071ff130160d76d4cef985662d032504cf4",
                "8bd93c52f6eee70a4a3d4d096113a24c4bbe444e362cf8b1d5d179abe05c7e8c"},
            PromptKey.QA, new String[] {
                "6ae36b60f6e7513f34311fbbaac8a7d769feee5ce6a828c9872e785de317a377",
                "393baa1cceb391e4b0bd25bedb81f7905b3154662d659b366a0c0b5b91c67fbb"},
            PromptKey.SUM, new String[] {
                "d09e3d309bf77d5afbc674bc0b74dfbaad09ef29fd7355890d7dbfef9f8a3b5a",
                "c60a030c503403c27fa697ea3cd3ecbf9ccb49be182e474226af80e8403577c9"},
            PromptKey.QA_GEN, new String[] {
                "d609cd51495ba0104cba7a251b897cac282fd2b1e691d2954c72acf8f6cdbbe2",
                "b5a3efbc6e574928bc6b71c73fa5d49d0a413d8316f6f2c668a3b941d2977a9f"},
            PromptKey.SUM_GEN, new String[] {
                "62ca8ffef0c21716065a86f4d15256e7fa6df5541ed29fbe0da6abea60de4893",
                "7bdbebda7e7f8e2eafc903ada89311f534930a0cb308e7868b85f9d8ed8badbd"},
            PromptKey.GIST, new String[] {
                "8ef98c904352ca94cf909cfce7e1c58f22892b2eb285ba2819f32a2032a68044",
                "5fc310e8ff908df0d357cea954dd570626439b82c153eb20a3d83c6c20cd0c33"},
            PromptKey.DULL_REPLY, new String[] {
                "bfa355813f65555a2cb4295c307e002d9b804b9e00c209466b38827429784334",
                "1f06ca115b5ae59f621b27bd3dc8ab5dead2811650c7f45eea3572387ad66ac1"});

    @Test
    void everyTemplateMatchesTheSpecChecksum() throws Exception {
        for (PromptKey key : PromptKey.values()) {
            for (Language lang : Language.values()) {
                byte[] bytes = Prompts.resourceBytes(lang, key);
                String sha = HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(bytes));
                assertEquals(SHA256.get(key)[lang.ordinal()], sha,
                        "sha256 of prompts/" + lang.code() + "/" + key.file() + ".txt");
                assertEquals(new String(bytes, StandardCharsets.UTF_8),
                        Prompts.of(lang).template(key), "loaded text of " + key);
            }
        }
    }

    @Test
    void questionTemplatesStartWithANewlineAndOnlyEnglishSumEndsWithOne() {
        for (Language lang : Language.values()) {
            for (PromptKey k : new PromptKey[] {PromptKey.SUR, PromptKey.SPAN, PromptKey.QA}) {
                assertTrue(Prompts.of(lang).template(k).startsWith("\n"), lang + " " + k);
            }
        }
        assertTrue(Prompts.of(Language.EN).template(PromptKey.SUM).endsWith("\n"));
        assertTrue(!Prompts.of(Language.ZH).template(PromptKey.SUM).endsWith("\n"));
    }

    @Test
    void questionIsInsertedLiterallyAndEmptyQuestionLeavesTheTemplate() {
        Prompts en = Prompts.of(Language.EN);
        String q = "Who wrote {context} and }}?";
        assertTrue(en.question(PromptKey.QA, q).contains("### Question: " + q + "\n"));
        assertEquals(en.template(PromptKey.QA), en.question(PromptKey.QA, ""));
        assertTrue(Prompts.of(Language.ZH).question(PromptKey.SPAN, "谁").contains("### 问题：谁\n"));
    }

    @Test
    void contextReplyIsEnglishUpstreamAndLocalizedOnRequest() {
        assertEquals("I have read the article. Please provide your question.",
                Prompts.of(Language.ZH).contextReply(false));
        assertEquals("我已经读完文本，请提出你的问题。", Prompts.of(Language.ZH).contextReply(true));
    }

    @Test
    void pyFormatFollowsPythonSemantics() {
        assertEquals("a {x} b", PyFormat.format("a {{x}} b", Map.of()));
        assertEquals("Q: {input}!", PyFormat.format("Q: {input}!", Map.of("input", "{input}")));
        assertEquals("1-2", PyFormat.format("{a}-{b}", Map.of("a", "1", "b", "2")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyFormat.format("x {input} y", Map.of("context", "c")));
        assertTrue(e.getMessage().contains("{input}") && e.getMessage().contains("{context}"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PyFormat.format("a } b", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> PyFormat.format("a { b", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> PyFormat.format("{}", Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> PyFormat.format("{context!r}", Map.of("context", "c")));
    }

    @Test
    void languageIsDetectedFromTheTextOrTakenFromConfig() {
        LanguageDetection auto = new LanguageDetection(MemoragConfig.defaults());
        assertEquals(Language.EN, auto.choose("The committee met on Tuesday to discuss the"
                + " budget for the coming year and agreed to postpone the vote."));
        assertEquals(Language.ZH, auto.choose("委员会于星期二开会讨论来年的预算，并同意推迟投票。"));
        LanguageDetection zh = new LanguageDetection(
                MemoragConfig.builder().set("language", "zh").build());
        assertEquals(Language.ZH, zh.choose("An English text."));
    }
}
