package org.memorag.rag.chunk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Splits a document into retrieval chunks the way MemoRAG does (BEACON_SPEC.md §1.4:
 * semantic-text-splitter's {@code TextSplitter} sized in cl100k tokens, no overlap, trimmed).
 *
 * <p>For each chunk, starting where the previous one ended: find the strongest semantic level
 * whose first unit from here still fits the budget (paragraphs and other newline runs, then
 * lines, sentences, words, grapheme clusters — see {@link SemanticLevels}); then take as many
 * consecutive units of that level as fit. Units are never split below a grapheme cluster.
 * Chunks are whitespace-trimmed, empty ones dropped; offsets point into the original text.
 *
 * <p>Token counts are kept linear in the text: every unit is counted once, the sum estimates
 * how many units fit, and a real count of the candidate chunk (stopping at the budget) confirms
 * it, searching up or down from the estimate when BPE merges across units make the sum wrong.
 *
 * <p>The only chunk that can exceed the budget is a single grapheme cluster that alone has more
 * tokens than the budget (impossible at MemoRAG's 512/2048; possible with a budget of 1 or 2).
 * Deterministic: the same text and budget always give the same chunks. Thread-safe.
 */
public final class TextChunker {
    private final int capacityTokens;

    /** A chunker that fills chunks up to {@code capacityTokens} cl100k tokens. */
    public TextChunker(int capacityTokens) {
        if (capacityTokens <= 0) {
            throw new IllegalArgumentException("chunk budget must be > 0 cl100k tokens, got "
                    + capacityTokens + " (MemoRAG uses 512 for English, 2048 for Chinese)");
        }
        this.capacityTokens = capacityTokens;
    }

    /** MemoRAG's default budget for the language: 512 tokens (en) or 2048 (zh). */
    public static TextChunker forLanguage(TextLanguage language) {
        return new TextChunker(Objects.requireNonNull(language, "language").defaultChunkTokens());
    }

    public int capacityTokens() {
        return capacityTokens;
    }

    /** The chunks of {@code text} in document order; none for empty or whitespace-only text. */
    public List<Chunk> chunk(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text to chunk is null; pass \"\" for no text");
        }
        return new Run(text).chunks();
    }

    /** The state of one chunking pass over one text. */
    private final class Run {
        private final String text;
        private final int length;
        private final SemanticLevels semantic;
        private final int[] levels;
        /** Section ends at the chosen level for the chunk being built (lazily extended). */
        private int[] ends = new int[64];
        private int endCount;
        private int sectionLevel;
        private int chosenUnits;
        /** Units -> trimmed token count measured by {@link #fits} for the chunk being built. */
        private final Map<Integer, Integer> measured = new HashMap<>();

        Run(String text) {
            this.text = text;
            this.length = text.length();
            this.semantic = new SemanticLevels(text);
            this.levels = semantic.levels();
        }

        List<Chunk> chunks() {
            List<Chunk> out = new ArrayList<>();
            int cursor = skipWhitespace(0);
            while (cursor < length) {
                int end = fill(cursor, chooseLevel(cursor));
                int e = end;
                while (e > cursor && isWhitespace(text.charAt(e - 1))) {
                    e--;
                }
                if (e > cursor) {
                    String chunkText = text.substring(cursor, e);
                    Integer known = measured.get(chosenUnits);
                    int tokens = known != null && known <= capacityTokens ? known
                            : Cl100kTokens.count(chunkText);
                    out.add(new Chunk(out.size(), chunkText, cursor, e, tokens));
                }
                cursor = skipWhitespace(end);
            }
            return out;
        }

        /** The strongest level whose first unit from {@code cursor} fits (GRAPHEME at least). */
        private int chooseLevel(int cursor) {
            int chosen = SemanticLevels.GRAPHEME;
            for (int level : levels) {
                int end = semantic.next(level, cursor);
                if (tokensUpTo(cursor, end, true) > capacityTokens) {
                    break;
                }
                chosen = level;
                if (end >= length) {
                    break;
                }
            }
            return chosen;
        }

        /** End of the longest run of whole {@code level} units from {@code cursor} that fits. */
        private int fill(int cursor, int level) {
            sectionLevel = level;
            endCount = 0;
            measured.clear();
            // 1. estimate: sum the units' own counts until the budget is passed
            int estimate = 0;
            long sum = 0;
            int pos = cursor;
            while (pos < length) {
                int end = sectionEnd(cursor, estimate);
                sum += tokensUpTo(pos, end, false);
                if (sum > capacityTokens) {
                    break;
                }
                estimate++;
                pos = end;
            }
            // 2. confirm with real counts of the whole candidate; the first unit fits by
            //    construction of the level (or is a lone oversized grapheme: taken anyway)
            int lo = 1;
            int hi = Integer.MAX_VALUE; // smallest unit count known not to fit
            int k = Math.max(1, estimate);
            if (k > 1 && !fits(cursor, k)) {
                hi = k;
                // the estimate is usually off by a unit or two (BPE merges across units):
                // probe just below before bisecting the whole range
                for (int probe = k - 1; probe > 1 && probe >= k - 2; probe--) {
                    if (fits(cursor, probe)) {
                        lo = probe;
                        break;
                    }
                    hi = probe;
                }
            } else {
                lo = k;
                int step = 1;
                while (sectionEnd(cursor, lo - 1) < length) {
                    int candidate = lo + step;
                    if (!fits(cursor, candidate)) {
                        hi = candidate;
                        break;
                    }
                    lo = candidate;
                    step *= 2;
                }
            }
            while (hi != Integer.MAX_VALUE && hi - lo > 1) {
                int mid = lo + (hi - lo) / 2;
                if (fits(cursor, mid)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            chosenUnits = lo;
            return sectionEnd(cursor, lo - 1);
        }

        /** True when the trimmed text of the first {@code units} sections fits the budget. */
        private boolean fits(int cursor, int units) {
            int tokens = tokensUpTo(cursor, sectionEnd(cursor, units - 1), true);
            measured.put(units, tokens);
            return tokens <= capacityTokens;
        }

        /** End of section {@code i} (0-based) of the current level from {@code cursor}. */
        private int sectionEnd(int cursor, int i) {
            while (endCount <= i) {
                int from = endCount == 0 ? cursor : ends[endCount - 1];
                if (from >= length) {
                    return length; // past the text: every further "section" ends at its end
                }
                if (endCount == ends.length) {
                    ends = Arrays.copyOf(ends, ends.length * 2);
                }
                ends[endCount++] = semantic.next(sectionLevel, from);
            }
            return ends[i];
        }

        /** Tokens of text[start, end) (trimmed when asked), or budget + 1 if more. */
        private int tokensUpTo(int start, int end, boolean trim) {
            int e = end;
            if (trim) {
                while (e > start && isWhitespace(text.charAt(e - 1))) {
                    e--;
                }
            }
            if ((long) (e - start) > (long) capacityTokens * Cl100kTokens.MAX_TOKEN_BYTES) {
                return capacityTokens + 1;
            }
            return Cl100kTokens.countUpTo(text.substring(start, e), capacityTokens);
        }

        /** First non-whitespace position at or after {@code pos}, kept on a grapheme boundary. */
        private int skipWhitespace(int pos) {
            int p = pos;
            while (p < length && isWhitespace(text.charAt(p))) {
                p++;
            }
            return p == pos ? p : semantic.floorGrapheme(p, pos);
        }
    }

    /** Unicode White_Space as Rust's {@code str::trim} sees it (includes U+00A0 and U+3000). */
    static boolean isWhitespace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
