package org.memorag.spark;

/**
 * Stable codes for rows that could not be processed. An output row's {@code error} column is
 * {@code "CODE: sentence"} (like Spark's error conditions): tests assert on the code, users group
 * by it, the sentence says which row and what to do.
 */
public enum RowError {
    /** The input line or record could not be parsed into the table's columns. */
    MALFORMED_ROW,
    /** A corpus or question row has no doc_id. */
    MISSING_DOC_ID,
    /** A later corpus row repeats a doc_id; the first occurrence is kept. */
    DUPLICATE_DOC_ID,
    /** A corpus row's text is null, empty or only whitespace. */
    EMPTY_TEXT,
    /** A document's bytes are not valid UTF-8 (or decoded to replacement/NUL characters). */
    UNDECODABLE_TEXT,
    /** The pipeline failed on a document while memorizing it. */
    MEMORIZE_FAILED,
    /** A question row has no question_id. */
    MISSING_QUESTION_ID,
    /** A later question row repeats a question_id. */
    DUPLICATE_QUESTION_ID,
    /** task_type is not one of memorag, qa, summarize, rag. */
    UNKNOWN_TASK_TYPE,
    /** A question row has no question text for a task that needs one. */
    MISSING_QUESTION,
    /** max_new_tokens is zero or negative. */
    INVALID_MAX_NEW_TOKENS,
    /** The question's doc_id is not in the manifest. */
    UNKNOWN_DOC,
    /** The question's document failed to memorize (its manifest row has status=error). */
    DOC_FAILED,
    /** The document was memorized with other models than this job uses. */
    MODELS_MISMATCH,
    /** The document's committed artifacts could not be read from the store. */
    ARTIFACTS_UNREADABLE,
    /** The pipeline failed while answering this question. */
    GENERATION_FAILED;

    /** The {@code error} column value: {@code "CODE: sentence"}. */
    public String message(String sentence) {
        return name() + ": " + sentence;
    }

    /** The code at the start of an {@code error} value, or null when it has none of ours. */
    public static RowError codeOf(String error) {
        if (error == null) {
            return null;
        }
        int colon = error.indexOf(':');
        String code = colon < 0 ? error : error.substring(0, colon);
        for (RowError e : values()) {
            if (e.name().equals(code)) {
                return e;
            }
        }
        return null;
    }
}
