package org.memorag.rag;

/**
 * Stable codes of the errors a person can act on (STYLE.md "Errors"): an answer or manifest row
 * with status=error carries {@code CODE: sentence}; tests assert on the code, users group by it.
 */
public enum ErrorCode {
    /** The document text is empty or only whitespace. */
    EMPTY_DOCUMENT,
    /** The document is longer than memory.max_context_tokens. */
    DOCUMENT_TOO_LONG,
    /** A question row is malformed (no question for a task that needs one, bad max tokens). */
    BAD_QUESTION,
    /** task_type is not memorag, qa, summarize or rag. */
    UNKNOWN_TASK,
    /** The task needs a memory and the document was memorized without one (mode none). */
    NO_MEMORY,
    /** The task or mode needs a model folder that is not configured; the message names the key. */
    MODEL_NOT_CONFIGURED,
    /** The doc id has no committed artifacts in the store. */
    UNKNOWN_DOC,
    /** The store path does not exist or cannot be listed. */
    STORE_NOT_FOUND,
    /** An artifact file is missing, truncated or fails its checksum. */
    CORRUPT_ARTIFACT,
    /** The artifacts were made by other models or settings than the configured ones. */
    MODEL_MISMATCH,
    /** The generator (an HTTP endpoint or a model) failed. */
    GENERATOR_FAILED
}
