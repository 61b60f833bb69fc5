package org.memorag.rag.chunk;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The semantic boundaries of one text, from weakest to strongest, as semantic-text-splitter ranks
 * them: grapheme clusters, words, sentences, then runs of line breaks (a run of n line breaks is
 * level {@code SENTENCE + n}, so paragraphs outrank lines). A boundary of a level is also a
 * boundary of every weaker level, and every boundary is a grapheme boundary.
 *
 * <p>Only newline runs are found up front (one linear scan). Sentence, word and grapheme
 * boundaries are found on demand around the position asked about, because the chunker needs
 * them only inside a unit that did not fit its budget. Not thread-safe (one per chunking pass).
 *
 * <p>Deliberate details: a run of line breaks may contain spaces or tabs between the breaks
 * ({@code "\n  \n"} is a paragraph break, as a reader sees it); CRLF counts as one break. Java
 * 17's sentence rules miss the full-width full stop {@code ．} (U+FF0E, used by older Chinese
 * texts) and the half-width {@code ｡}; a sentence also ends after any of
 * {@code 。．！？｡} plus closing quotes or brackets. Grapheme clusters come from
 * {@code \X} (extended grapheme clusters), because {@code BreakIterator.getCharacterInstance()}
 * in Java 17 splits emoji modifier, ZWJ and flag sequences.
 */
final class SemanticLevels {
    static final int GRAPHEME = 0;
    static final int WORD = 1;
    static final int SENTENCE = 2;
    /** Longer newline runs all rank as this many breaks: keeps the level list short. */
    private static final int MAX_BREAKS = 64;
    private static final Pattern GRAPHEME_CLUSTER = Pattern.compile("\\X");

    private final String text;
    private final int length;
    /** Ascending levels that occur in this text; always starts GRAPHEME, WORD, SENTENCE. */
    private final int[] levels;
    /** For newline level {@code levels[3 + k]}: starts and ends of runs at least that strong. */
    private final int[][] runBoundaries;
    private final BreakIterator sentences;
    private final BreakIterator words;
    private final Matcher graphemes;
    /**
     * The last sentence end computed and the position it was asked from: words of one sentence
     * ask for the same end, and finding it costs a scan of the sentence (linear, not quadratic).
     */
    private int sentenceFrom = -1;
    private int sentenceEnd = -1;

    SemanticLevels(String text) {
        this.text = text;
        this.length = text.length();
        List<int[]> runs = newlineRuns(text);
        TreeSet<Integer> strengths = new TreeSet<>();
        for (int[] run : runs) {
            strengths.add(run[2]);
        }
        levels = new int[3 + strengths.size()];
        levels[0] = GRAPHEME;
        levels[1] = WORD;
        levels[2] = SENTENCE;
        runBoundaries = new int[strengths.size()][];
        int k = 0;
        for (int strength : strengths) {
            levels[3 + k] = SENTENCE + strength;
            int[] b = new int[2 * runs.size()];
            int m = 0;
            for (int[] run : runs) {
                if (run[2] >= strength) {
                    b[m++] = run[0];
                    b[m++] = run[1];
                }
            }
            runBoundaries[k++] = Arrays.copyOf(b, m);
        }
        sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(text);
        words = BreakIterator.getWordInstance(Locale.ROOT);
        words.setText(text);
        graphemes = GRAPHEME_CLUSTER.matcher(text);
    }

    /** The levels present, weakest first. */
    int[] levels() {
        return levels.clone();
    }

    /**
     * The first boundary after {@code pos} of {@code level} or stronger (the text length when
     * there is none). {@code pos} must itself be a grapheme boundary.
     */
    int next(int level, int pos) {
        if (pos >= length) {
            return length;
        }
        if (level > SENTENCE) {
            return nextRunBoundary(level, pos);
        }
        int stronger = levels.length > 3 ? nextRunBoundary(levels[3], pos) : length;
        if (level == GRAPHEME) {
            return graphemeEnd(pos);
        }
        int sentence;
        if (pos >= sentenceFrom && pos < sentenceEnd) {
            sentence = sentenceEnd; // no sentence boundary in (sentenceFrom, sentenceEnd)
        } else {
            sentence = Math.min(stronger, snap(following(sentences, pos), pos));
            sentence = Math.min(sentence, cjkSentenceEnd(pos, sentence));
            sentenceFrom = pos;
            sentenceEnd = sentence;
        }
        if (level == SENTENCE) {
            return sentence;
        }
        return Math.min(sentence, snap(following(words, pos), pos));
    }

    /**
     * The largest grapheme boundary at or before {@code pos}, searching no further back than
     * {@code from} (a known boundary).
     */
    int floorGrapheme(int pos, int from) {
        if (pos >= length || simpleBoundary(pos)) {
            return Math.min(pos, length);
        }
        int b = from;
        while (b < pos) {
            int e = graphemeEnd(b);
            if (e > pos) {
                return b;
            }
            b = e;
        }
        return b;
    }

    private int nextRunBoundary(int level, int pos) {
        int k = Arrays.binarySearch(levels, 3, levels.length, level);
        if (k < 0) {
            k = -k - 1; // no run of exactly this strength: the next stronger level's runs
            if (k >= levels.length) {
                return length;
            }
        }
        int[] b = runBoundaries[k - 3];
        int i = Arrays.binarySearch(b, pos + 1);
        if (i < 0) {
            i = -i - 1;
        }
        return i < b.length ? b[i] : length;
    }

    private static int following(BreakIterator it, int pos) {
        int b = it.following(pos);
        return b == BreakIterator.DONE ? Integer.MAX_VALUE : b;
    }

    /** End of the first sentence closed by a CJK stop at or after {@code pos}, before limit. */
    private int cjkSentenceEnd(int pos, int limit) {
        for (int i = pos; i < limit && i < length; i++) {
            if (isCjkStop(text.charAt(i))) {
                int e = i + 1;
                while (e < length && (isCjkStop(text.charAt(e)) || isCloser(text.charAt(e)))) {
                    e++;
                }
                return snap(e, pos);
            }
        }
        return length;
    }

    private static boolean isCjkStop(char c) {
        return c == '。' || c == '．' || c == '！' || c == '？' || c == '｡';
    }

    private static boolean isCloser(char c) {
        return c == '”' || c == '’' || c == '」' || c == '』' || c == '）' || c == '》'
                || c == '〉' || c == '】' || c == '〕' || c == '"' || c == '\'' || c == ')';
    }

    /** {@code b} if it is a grapheme boundary, else the end of the cluster that contains it. */
    private int snap(int b, int from) {
        if (b >= length) {
            return length;
        }
        if (simpleBoundary(b)) {
            return b;
        }
        int start = floorGrapheme(b, from);
        return start == b ? b : graphemeEnd(start);
    }

    private int graphemeEnd(int pos) {
        graphemes.region(pos, length);
        if (!graphemes.lookingAt()) {
            return pos + 1; // unreachable: \X matches any character
        }
        return graphemes.end();
    }

    /**
     * True when {@code b} is certainly a grapheme boundary because the characters on both sides
     * never join a cluster (Latin, CJK ideographs and punctuation, kana); false means "ask \X".
     */
    private boolean simpleBoundary(int b) {
        if (b <= 0 || b >= length) {
            return true;
        }
        char before = text.charAt(b - 1);
        char after = text.charAt(b);
        if (before == '\r' && after == '\n') {
            return false;
        }
        return standalone(before) && standalone(after);
    }

    private static boolean standalone(char c) {
        return c < 0x300
                || (c >= 0x2010 && c <= 0x2027)
                || (c >= 0x3000 && c <= 0x3029)
                || (c >= 0x3030 && c <= 0x3098)
                || (c >= 0x4E00 && c <= 0x9FFF)
                || (c >= 0xFF01 && c <= 0xFF5E);
    }

    /** Runs of line breaks as {start, end, breaks}; spaces and tabs may sit between breaks. */
    private static List<int[]> newlineRuns(String text) {
        List<int[]> runs = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c != '\n' && c != '\r') {
                i++;
                continue;
            }
            int start = i;
            int end = i;
            int breaks = 0;
            int j = i;
            while (j < n) {
                char d = text.charAt(j);
                if (d == '\r') {
                    j += (j + 1 < n && text.charAt(j + 1) == '\n') ? 2 : 1;
                    breaks++;
                    end = j;
                } else if (d == '\n') {
                    j++;
                    breaks++;
                    end = j;
                } else if (d == ' ' || d == '\t' || d == '\u000B' || d == '\f'
                        || d == '\u00A0' || d == '\u3000') {
                    j++;
                } else {
                    break;
                }
            }
            runs.add(new int[] {start, end, Math.min(breaks, MAX_BREAKS)});
            i = end;
        }
        return runs;
    }
}
