package org.memorag.spark;

import java.io.Serializable;

/**
 * One row of the manifest table (DESIGN.md §6): one per corpus row. {@code skipped} is true when
 * this version was already committed in the store and nothing was recomputed.
 */
public record ManifestRow(String docId, String textSha256, String versionPath, Integer nChars,
        Integer nTokens, Integer nChunks, Long memoryBytes, Long memorizeMs, String status,
        String error, boolean skipped) implements Serializable {
    public ManifestRow {
        if (!AnswerRow.OK.equals(status) && !AnswerRow.ERROR.equals(status)) {
            throw new IllegalArgumentException("manifest status must be ok or error, got " + status);
        }
        if (AnswerRow.ERROR.equals(status) && (error == null || error.isBlank())) {
            throw new IllegalArgumentException("an error manifest row for doc_id=" + docId
                    + " needs an error message");
        }
    }

    /** An error row for a document that was not memorized. */
    public static ManifestRow error(String docId, String textSha256, Integer nChars, String error) {
        return new ManifestRow(docId, textSha256, null, nChars, null, null, null, null,
                AnswerRow.ERROR, error, false);
    }

    public boolean ok() {
        return AnswerRow.OK.equals(status);
    }
}
