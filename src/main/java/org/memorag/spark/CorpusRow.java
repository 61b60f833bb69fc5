package org.memorag.spark;

import java.io.Serializable;

/**
 * One document of the corpus table (DESIGN.md §6): {@code doc_id} and {@code text} are required,
 * {@code title} and {@code lang} may be null. Validation happens before a row becomes a record.
 */
public record CorpusRow(String docId, String text, String title, String lang) implements Serializable {
    public CorpusRow {
        if (docId == null || text == null) {
            throw new IllegalArgumentException("corpus row needs doc_id and text (doc_id=" + docId
                    + "); validate rows with Inputs before building a CorpusRow");
        }
    }
}
