package org.memorag.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ValidationTest {
    private static RowError code(String error) {
        return RowError.codeOf(error);
    }

    @Test
    void corpusRowCodesInOrderOfPrecedence() {
        String w = "row 1 of docs.jsonl";
        assertNull(Validation.corpusError("d", "text", null, w));
        assertEquals(RowError.MALFORMED_ROW, code(Validation.corpusError(null, null, "bad", w)));
        assertEquals(RowError.MISSING_DOC_ID, code(Validation.corpusError(" ", "t", null, w)));
        assertEquals(RowError.EMPTY_TEXT, code(Validation.corpusError("d", "", null, w)));
        assertEquals(RowError.EMPTY_TEXT, code(Validation.corpusError("d", null, null, w)));
        assertEquals(RowError.UNDECODABLE_TEXT,
                code(Validation.corpusError("d", "a\u0000b", null, w)));
        assertEquals(RowError.UNDECODABLE_TEXT, code(Validation.corpusError("d", null,
                Validation.UNDECODABLE + "Input length = 1", "file d.txt")));
    }

    @Test
    void messagesNameTheRowAndWhatToDo() {
        String e = Validation.corpusError("c-17", "ab\uFFFDc", null, "row 5 of docs.jsonl");
        assertTrue(e.startsWith("UNDECODABLE_TEXT: doc_id 'c-17' (row 5 of docs.jsonl)"), e);
        assertTrue(e.contains("at char 2") && e.contains("re-encode"), e);
        assertEquals("row 5 of q.jsonl", Validation.where(4, "q.jsonl"));
    }

    @Test
    void questionRowCodes() {
        String w = "row 2 of questions.jsonl";
        assertNull(Validation.questionError("q", "d", "Who?", "qa", null, null, w));
        assertNull(Validation.questionError("q", "d", null, "summarize", 64, null, w));
        assertEquals(RowError.MALFORMED_ROW,
                code(Validation.questionError("q", "d", "?", "qa", null, "x", w)));
        assertEquals(RowError.MISSING_QUESTION_ID,
                code(Validation.questionError(null, "d", "?", "qa", null, null, w)));
        assertEquals(RowError.MISSING_DOC_ID,
                code(Validation.questionError("q", "", "?", "qa", null, null, w)));
        assertEquals(RowError.UNKNOWN_TASK_TYPE,
                code(Validation.questionError("q", "d", "?", "choice", null, null, w)));
        assertEquals(RowError.MISSING_QUESTION,
                code(Validation.questionError("q", "d", " ", "memorag", null, null, w)));
        assertEquals(RowError.INVALID_MAX_NEW_TOKENS,
                code(Validation.questionError("q", "d", "?", "rag", -3, null, w)));
    }

    @Test
    void taskTypeFallsBackToTheJobDefaultAndIsNormalised() {
        assertEquals("qa", Validation.taskType(null, "qa"));
        assertEquals("qa", Validation.taskType("  ", "qa"));
        assertEquals("summarize", Validation.taskType(" Summarize ", "qa"));
    }

    @Test
    void codeOfReadsTheLeadingCodeOnly() {
        assertEquals(RowError.UNKNOWN_DOC, RowError.codeOf(RowError.UNKNOWN_DOC.message("x: y")));
        assertNull(RowError.codeOf("NOT_OURS: x"));
        assertNull(RowError.codeOf(null));
    }
}
