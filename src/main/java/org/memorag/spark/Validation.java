package org.memorag.spark;

import java.util.List;

/**
 * The per-row checks of the input tables, as plain functions of a row's values (Spark-free, so
 * they are tested directly). Each returns the {@code error} value ("CODE: sentence") or null.
 * Duplicate keys need the whole table and are found by {@link Inputs}.
 */
public final class Validation {
    private Validation() {}

    /** The task types of DESIGN.md §6, the first being the default. */
    public static final List<String> TASK_TYPES = List.of("memorag", "qa", "summarize", "rag");

    /** Prefix of a raw row's malformed reason when a text file's bytes are not UTF-8. */
    public static final String UNDECODABLE = "undecodable: ";

    /** Checks one corpus row; {@code where} names it ("row 3 of docs.jsonl"). */
    public static String corpusError(String docId, String text, String malformed, String where) {
        if (malformed != null && malformed.startsWith(UNDECODABLE)) {
            return RowError.UNDECODABLE_TEXT.message("doc_id '" + docId + "' (" + where + ") is"
                    + " not valid UTF-8 (" + malformed.substring(UNDECODABLE.length())
                    + "); re-encode the file as UTF-8");
        }
        if (malformed != null) {
            return RowError.MALFORMED_ROW.message(where + " could not be read as a corpus row ("
                    + malformed + "); fix or remove it");
        }
        if (isBlank(docId)) {
            return RowError.MISSING_DOC_ID.message(where + " has no doc_id; give every document"
                    + " a unique doc_id");
        }
        if (text == null || text.isBlank()) {
            return RowError.EMPTY_TEXT.message("doc_id '" + docId + "' (" + where + ") has "
                    + (text == null ? "no text" : "only whitespace as text")
                    + "; supply the document's text or remove the row");
        }
        int bad = firstUndecodable(text);
        if (bad >= 0) {
            return RowError.UNDECODABLE_TEXT.message("doc_id '" + docId + "' (" + where + ") has "
                    + (text.charAt(bad) == 0 ? "a NUL character" : "a U+FFFD replacement character")
                    + " at char " + bad + ": the source was not valid UTF-8 text; re-encode it"
                    + " as UTF-8");
        }
        return null;
    }

    /** The error of a later corpus row that repeats a doc_id. */
    public static String duplicateDoc(String docId, String where, String firstWhere) {
        return RowError.DUPLICATE_DOC_ID.message("doc_id '" + docId + "' (" + where + ") was"
                + " already given by " + firstWhere + ", which is the one memorized; rename or"
                + " remove the duplicate");
    }

    /**
     * Checks one question row; {@code taskType} is the row's value after the job default was
     * applied.
     */
    public static String questionError(String questionId, String docId, String question,
            String taskType, Integer maxNewTokens, String malformed, String where) {
        if (malformed != null) {
            return RowError.MALFORMED_ROW.message(where + " could not be read as a question row ("
                    + malformed + "); fix or remove it");
        }
        if (isBlank(questionId)) {
            return RowError.MISSING_QUESTION_ID.message(where + " has no question_id; give every"
                    + " question a unique question_id");
        }
        String q = "question_id '" + questionId + "' (" + where + ")";
        if (isBlank(docId)) {
            return RowError.MISSING_DOC_ID.message(q + " has no doc_id; say which document the"
                    + " question is about");
        }
        if (!TASK_TYPES.contains(taskType)) {
            return RowError.UNKNOWN_TASK_TYPE.message(q + " has task_type '" + taskType
                    + "'; use one of " + String.join(", ", TASK_TYPES));
        }
        if (isBlank(question) && !"summarize".equals(taskType)) {
            return RowError.MISSING_QUESTION.message(q + " has no question text but task_type '"
                    + taskType + "' needs one; add the question or use task_type summarize");
        }
        if (maxNewTokens != null && maxNewTokens <= 0) {
            return RowError.INVALID_MAX_NEW_TOKENS.message(q + " has max_new_tokens "
                    + maxNewTokens + "; use a positive number or leave it empty for the default");
        }
        return null;
    }

    /** The error of a later question row that repeats a question_id. */
    public static String duplicateQuestion(String questionId, String where, String firstWhere) {
        return RowError.DUPLICATE_QUESTION_ID.message("question_id '" + questionId + "' (" + where
                + ") was already given by " + firstWhere + ", which is the one answered; give"
                + " each question its own question_id");
    }

    /** The row's task type: its own when present, else the job's default. */
    public static String taskType(String rowValue, String jobDefault) {
        return isBlank(rowValue) ? jobDefault : rowValue.trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** How a message names a row: "row 4 of docs.jsonl" (1-based, as editors count lines). */
    public static String where(long rowIndex, String source) {
        return "row " + (rowIndex + 1) + " of " + (source == null ? "the input" : source);
    }

    private static int firstUndecodable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFFFD' || c == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
