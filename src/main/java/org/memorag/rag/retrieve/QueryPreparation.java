package org.memorag.rag.retrieve;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.memorag.rag.chunk.TextLanguage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the memory model's outputs into the list of retrieval queries, as MemoRAG does
 * (BEACON_SPEC.md §1.8 step 2, §1.11 step 2; invariant T14).
 *
 * <p>{@code memorag} task: the clue text (recall) and the surrogate questions (rewrite) are split
 * on {@code "\n"} only (no stripping); a line is kept when it is long enough; the memory's own
 * answer follows when asked for (unfiltered, even if empty); the question comes last.
 * {@code summarize} task: long-enough lines of the key points, no question.
 *
 * <p>"Long enough" is upstream's {@code len(line.split()) > 3} — more than three
 * whitespace-separated words — for English. Chinese is not written with spaces, so that rule
 * drops nearly every Chinese clue (quirk Q2). For Chinese we count non-whitespace characters and
 * keep a line with more than {@value #MIN_CJK_CHARS_EXCLUSIVE}: the same threshold upstream's own
 * Lite mode uses for Chinese ({@code len(line) > 3}), minus its counting of spaces. A Chinese
 * word averages 1.5–2 characters, so four characters are at least two words — enough to carry a
 * name plus a predicate ("贾宝玉哭") — while list markers and fragments ("1.", "答：", "无")
 * go. {@code upstreamWordRule} restores the word rule for Chinese too, for parity runs.
 */
public final class QueryPreparation {
    /** English: keep lines with more than this many words (upstream). */
    public static final int MIN_WORDS_EXCLUSIVE = 3;
    /** Chinese: keep lines with more than this many non-whitespace characters. */
    public static final int MIN_CJK_CHARS_EXCLUSIVE = 3;
    private static final Logger log = LoggerFactory.getLogger(QueryPreparation.class);

    private final TextLanguage language;
    private final boolean upstreamWordRule;

    /**
     * @param language         the document's language (configured or detected by the caller)
     * @param upstreamWordRule true: the word rule for every language, exactly as upstream
     */
    public QueryPreparation(TextLanguage language, boolean upstreamWordRule) {
        this.language = Objects.requireNonNull(language, "language");
        this.upstreamWordRule = upstreamWordRule;
    }

    /** The language-aware rule (the port's default). */
    public static QueryPreparation forLanguage(TextLanguage language) {
        return new QueryPreparation(language, false);
    }

    /**
     * Queries for the {@code memorag} task.
     *
     * @param clues        the memory's recall output (clue text spans)
     * @param surrogates   the memory's rewrite output (surrogate questions)
     * @param memoryAnswer the memory's own answer when {@code use_memory_answer} is on, else null
     * @param question     the user's question, always the last query
     */
    public List<String> forMemorag(String clues, String surrogates, String memoryAnswer,
            String question) {
        require(clues, "clue text (recall output)");
        require(surrogates, "surrogate text (rewrite output)");
        require(question, "question");
        List<String> queries = new ArrayList<>();
        addLongLines(clues, queries);
        addLongLines(surrogates, queries);
        if (memoryAnswer != null) {
            queries.add(memoryAnswer);
        }
        queries.add(question);
        return queries;
    }

    /**
     * Queries for the {@code summarize} task: the long-enough key-point lines. When no line
     * qualifies upstream crashes (quirk Q20); we use the whole key-point text instead and warn.
     *
     * @throws IllegalArgumentException when the key points are blank: nothing to search with
     */
    public List<String> forSummary(String keyPoints) {
        require(keyPoints, "key points (summarize output)");
        List<String> queries = new ArrayList<>();
        addLongLines(keyPoints, queries);
        if (queries.isEmpty()) {
            if (keyPoints.isBlank()) {
                throw new IllegalArgumentException("the memory's key points are blank: there is"
                        + " nothing to retrieve with; check the memory model's summarize output");
            }
            log.warn("no key-point line passes the length rule (language={}); using the whole"
                    + " key-point text as the only query (quirk Q20)", language);
            queries.add(keyPoints);
        }
        return queries;
    }

    /** True when {@code line} is long enough to be a query under this rule. */
    public boolean keeps(String line) {
        if (language == TextLanguage.ZH && !upstreamWordRule) {
            return nonWhitespaceCodePoints(line) > MIN_CJK_CHARS_EXCLUSIVE;
        }
        return whitespaceWords(line) > MIN_WORDS_EXCLUSIVE;
    }

    private void addLongLines(String text, List<String> out) {
        int start = 0;
        while (true) {
            int nl = text.indexOf('\n', start);
            String line = nl < 0 ? text.substring(start) : text.substring(start, nl);
            if (keeps(line)) {
                out.add(line);
            }
            if (nl < 0) {
                return;
            }
            start = nl + 1;
        }
    }

    /** Python's {@code len(s.split())}: runs of non-whitespace. */
    static int whitespaceWords(String s) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            boolean space = isPythonSpace(s.charAt(i));
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return words;
    }

    static int nonWhitespaceCodePoints(String s) {
        return (int) s.codePoints().filter(c -> c > 0xFFFF || !isPythonSpace((char) c)).count();
    }

    /** Python 3 {@code str.isspace()} for one char (Unicode White_Space plus \x1c-\x1f). */
    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    private static void require(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is null; pass \"\" when the memory"
                    + " produced nothing");
        }
    }
}
