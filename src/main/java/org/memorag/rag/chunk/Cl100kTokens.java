package org.memorag.rag.chunk;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingResult;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * cl100k_base token counts, the sizer MemoRAG's chunker uses ({@code from_tiktoken_model(
 * "gpt-3.5-turbo")}, BEACON_SPEC.md §1.4). Text is encoded as ordinary text: a document that
 * contains {@code <|endoftext|>} is counted like any other characters, never rejected.
 * Thread-safe; the vocabulary is loaded once per JVM.
 */
public final class Cl100kTokens {
    /**
     * Longest cl100k token in UTF-8 bytes (checked against the vocabulary file by
     * Cl100kTokensTest). A UTF-16 char is at least one byte, so a text of more than
     * {@code n * MAX_TOKEN_BYTES} chars has more than {@code n} tokens without encoding it.
     */
    static final int MAX_TOKEN_BYTES = 128;

    private static final class Holder {
        static final Encoding CL100K =
                Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    }

    private Cl100kTokens() {}

    /** Exact token count of {@code text}. */
    public static int count(String text) {
        return Holder.CL100K.countTokensOrdinary(text);
    }

    /**
     * Token count of {@code text} when it is at most {@code limit}, otherwise {@code limit + 1};
     * stops encoding after {@code limit} tokens, so checking a huge text against a budget is
     * cheap.
     */
    public static int countUpTo(String text, int limit) {
        if ((long) text.length() > (long) limit * MAX_TOKEN_BYTES) {
            return limit + 1;
        }
        EncodingResult r = Holder.CL100K.encodeOrdinary(text, limit);
        return r.isTruncated() ? limit + 1 : r.getTokens().size();
    }
}
