package org.memorag.engine.tokenize;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a Jinja2 template into the text Jinjava renders the way Python Jinja2 does, and
 * collects what it uses. Where Jinjava differs from Jinja2 (measured against Jinja2 3.1 with the
 * environment transformers builds: trim_blocks, lstrip_blocks), the Jinja2 lexer's rule is
 * applied here and Jinjava's own is switched off:
 * <ul>
 *   <li>line endings normalised to \n and one trailing newline dropped (keep_trailing_newline
 *       False);</li>
 *   <li>comments removed with their whitespace control ({@code {#-}, {@code -#}}, trim_blocks);
 *       Jinjava also eats spaces around a comment in the middle of a line;</li>
 *   <li>lstrip_blocks: whitespace before a block tag or comment is removed only when it is all
 *       that precedes the tag on its line (Jinjava strips it anywhere); {@code {%+} keeps it;</li>
 *   <li>unary {@code not} binds looser than comparisons in Jinja2 ({@code not a == b} is
 *       {@code not (a == b)}); Jinjava reads {@code (not a) == b}, so explicit parentheses are
 *       inserted.</li>
 * </ul>
 * Filters and tests are collected so that {@link ChatTemplate} can reject the ones it has not
 * verified (Jinjava renders an unknown filter as an empty string, silently).
 */
final class Jinja2Source {
    /** The translated text, the filters and tests it uses, constructs Jinjava cannot render. */
    record Translation(String text, Set<String> filters, Set<String> tests,
            List<String> problems) {}

    private static final Pattern RAW_TAG = Pattern.compile("^[-+]?\\s*raw\\s*[-+]?$");
    private static final Pattern END_RAW = Pattern.compile("\\{%[-+]?\\s*endraw\\s*[-+]?%}");
    private static final Pattern FILTER = Pattern.compile("\\|\\s*([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern TEST = Pattern.compile(
            "\\bis\\s+(?:not\\s+)?([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern EXTENDED_SLICE = Pattern.compile("\\[[^\\]\\[]*:[^\\]\\[]*:");
    private static final Pattern LOOP_ATTRIBUTE = Pattern.compile(
            "\\bloop\\.(previtem|nextitem|cycle|changed|depth|depth0)\\b");
    private static final Pattern LOOP_FILTER = Pattern.compile(
            "^[-+]?\\s*for\\s.*\\sin\\s.*\\sif\\s");
    private static final Pattern SPLIT_CALL = Pattern.compile("\\.split\\s*\\(");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Jinja2Source() {}

    static Translation translate(String template) {
        String s = template.replace("\r\n", "\n").replace('\r', '\n');
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        Set<String> filters = new LinkedHashSet<>();
        Set<String> tests = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        StringBuilder out = new StringBuilder(s.length() + 16);
        Deque<String> blocks = new ArrayDeque<>();
        int i = 0;
        while (i < s.length()) {
            int j = nextTag(s, i);
            if (j < 0) {
                out.append(s, i, s.length());
                break;
            }
            String text = s.substring(i, j);
            char kind = s.charAt(j + 1);
            char sign = j + 2 < s.length() ? s.charAt(j + 2) : ' ';
            boolean lineStarting = i == 0 || s.charAt(i - 1) == '\n';
            if (kind != '{' && sign != '-' && sign != '+') {
                text = lstrip(text, lineStarting);
            }
            if (kind == '#') {
                int end = s.indexOf("#}", j + 2);
                if (end < 0) {
                    problems.add("comment opened at offset " + j + " is never closed with #}");
                    out.append(text);
                    break;
                }
                out.append(sign == '-' ? text.stripTrailing() : text);
                char endSign = s.charAt(end - 1);
                i = end + 2;
                if (endSign == '-' && end - 1 > j + 2) {
                    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                        i++;
                    }
                } else if (endSign != '+' && i < s.length() && s.charAt(i) == '\n') {
                    i++;  // trim_blocks applies to comments too
                }
                continue;
            }
            out.append(text);
            String close = kind == '{' ? "}}" : "%}";
            int end = closingIndex(s, j + 2, close);
            if (end < 0) {
                problems.add("'{" + kind + "' at offset " + j + " is never closed with " + close);
                out.append(s, j, s.length());
                break;
            }
            String body = s.substring(j + 2, end);
            if (kind == '%' && body.startsWith("+")) {
                body = body.substring(1);  // {%+ only disables lstrip, already decided above
            }
            if (kind == '%' && body.endsWith("+")) {
                problems.add("'+%}' (keep the newline after a tag) at offset " + end);
            }
            if (kind == '%' && RAW_TAG.matcher(body).matches()) {
                Matcher m = END_RAW.matcher(s);
                int bodyEnd = m.find(end + 2) ? m.end() : s.length();
                out.append(s, j, bodyEnd);
                i = bodyEnd;
                continue;
            }
            if (kind == '%') {
                trackBlock(body, blocks, problems);
            }
            String expr = analyse(body, filters, tests, problems);
            out.append('{').append(kind).append(expr).append(close);
            i = end + 2;
        }
        return new Translation(out.toString(), filters, tests, problems);
    }

    /** Follows block nesting to find an {@code else} of a for loop (Jinjava ignores it). */
    private static void trackBlock(String body, Deque<String> blocks, List<String> problems) {
        Matcher m = WORD.matcher(body);
        if (!m.find()) {
            return;
        }
        String tag = m.group();
        switch (tag) {
            case "for", "if", "macro", "call", "filter", "with", "block" -> blocks.push(tag);
            case "set" -> {
                if (!body.contains("=")) {
                    blocks.push(tag);  // {% set x %}...{% endset %}
                }
            }
            case "else" -> {
                if ("for".equals(blocks.peek())) {
                    problems.add("'{% else %}' of a for loop (Jinjava renders nothing for an"
                            + " empty loop's else branch; test the sequence with an if)");
                }
            }
            default -> {
                if (tag.startsWith("end") && !blocks.isEmpty()) {
                    blocks.pop();
                }
            }
        }
    }

    private static int nextTag(String s, int from) {
        int j = s.indexOf('{', from);
        while (j >= 0 && j + 1 < s.length()) {
            char c = s.charAt(j + 1);
            if (c == '{' || c == '%' || c == '#') {
                return j;
            }
            j = s.indexOf('{', j + 1);
        }
        return -1;
    }

    /** Jinja2's lstrip_blocks: drop what precedes the tag on its line if it is only spaces. */
    private static String lstrip(String text, boolean lineStarting) {
        int lpos = text.lastIndexOf('\n') + 1;
        if (lpos == 0 && !lineStarting) {
            return text;
        }
        for (int k = lpos; k < text.length(); k++) {
            if (!Character.isWhitespace(text.charAt(k))) {
                return text;
            }
        }
        return text.substring(0, lpos);
    }

    /**
     * Index of {@code close} after {@code from}, skipping quoted strings (with escapes) and, as
     * Jinja2's lexer does, brackets: the "}}" that ends a nested dict literal is not the end.
     */
    private static int closingIndex(String s, int from, String close) {
        char quote = 0;
        int depth = 0;
        for (int k = from; k < s.length(); k++) {
            char c = s.charAt(k);
            if (quote != 0) {
                if (c == '\\') {
                    k++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (depth == 0 && s.startsWith(close, k)) {
                return k;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
        }
        return -1;
    }

    /** Jinjava ends an expression at the first "}}" outside quotes: space nested closers apart. */
    private static String separateBraces(String body, String code) {
        StringBuilder b = new StringBuilder(body);
        for (int k = code.length() - 2; k >= 0; k--) {
            if (code.charAt(k) == '}' && code.charAt(k + 1) == '}') {
                b.insert(k + 1, ' ');
            }
        }
        return b.toString();
    }

    /** Collects filters, tests and problems of one tag body; returns it with not(...) fixed. */
    private static String analyse(String body, Set<String> filters, Set<String> tests,
            List<String> problems) {
        String code = blankStrings(body);
        Matcher f = FILTER.matcher(code);
        while (f.find()) {
            filters.add(f.group(1));
        }
        Matcher t = TEST.matcher(code);
        while (t.find()) {
            tests.add(t.group(1));
        }
        if (EXTENDED_SLICE.matcher(code).find()) {
            problems.add("an extended slice [a:b:c] (e.g. [::-1]) in '" + body.strip() + "'");
        }
        Matcher loopAttr = LOOP_ATTRIBUTE.matcher(code);
        if (loopAttr.find()) {
            problems.add("'loop." + loopAttr.group(1) + "' (Jinjava has no such loop attribute"
                    + " and renders it empty; index the sequence with loop.index0 instead)");
        }
        if (LOOP_FILTER.matcher(code).find()) {
            problems.add("a loop filter 'for x in y if condition' in '" + body.strip() + "'"
                    + " (Jinjava renders no iteration; use selectattr or an if inside the loop)");
        }
        if (SPLIT_CALL.matcher(code).find()) {
            problems.add("Python str.split() in '" + body.strip() + "' (Jinjava calls Java's"
                    + " regex String.split, which drops trailing empty parts)");
        }
        String fixed = parenthesiseNot(body, code);
        return separateBraces(fixed, blankStrings(fixed));
    }

    /** Same length as {@code body}, with the inside of every string literal replaced by 'x'. */
    private static String blankStrings(String body) {
        StringBuilder b = new StringBuilder(body);
        char quote = 0;
        for (int k = 0; k < b.length(); k++) {
            char c = b.charAt(k);
            if (quote != 0) {
                if (c == '\\' && k + 1 < b.length()) {
                    b.setCharAt(k, 'x');
                    b.setCharAt(++k, 'x');
                } else if (c == quote) {
                    quote = 0;
                } else {
                    b.setCharAt(k, 'x');
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            }
        }
        return b.toString();
    }

    /**
     * Wraps the operand of a unary {@code not} in parentheses when it holds a comparison, test
     * or membership at its own bracket depth: {@code not a == b and c} becomes
     * {@code not (a == b) and c}, Jinja2's reading. {@code x not in y} and {@code is not} are
     * binary operators and left alone.
     */
    private static String parenthesiseNot(String body, String code) {
        List<int[]> wraps = new ArrayList<>();
        Matcher w = WORD.matcher(code);
        String previous = "";
        while (w.find()) {
            String word = w.group();
            if (word.equals("not") && !previous.equals("is")) {
                int start = w.end();
                Matcher next = WORD.matcher(code);
                boolean binaryNotIn = next.find(start) && next.group().equals("in")
                        && code.substring(start, next.start()).isBlank();
                if (!binaryNotIn) {
                    int end = operandEnd(code, start);
                    if (end > start && hasComparison(code.substring(start, end))) {
                        wraps.add(new int[] {start, end});
                    }
                }
            }
            previous = word;
        }
        if (wraps.isEmpty()) {
            return body;
        }
        StringBuilder b = new StringBuilder(body);
        for (int k = wraps.size() - 1; k >= 0; k--) {  // back to front keeps offsets valid
            int[] r = wraps.get(k);
            b.insert(r[1], ')');
            b.insert(r[0], " (");
        }
        return b.toString();
    }

    /** End of the operand of `not`: and/or/if/else, a comma or a closing bracket at depth 0. */
    private static int operandEnd(String code, int from) {
        int depth = 0;
        int k = from;
        while (k < code.length()) {
            char c = code.charAt(k);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    return k;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return k;
            } else if (depth == 0 && Character.isLetter(c)
                    && (k == 0 || !Character.isLetterOrDigit(code.charAt(k - 1))
                            && code.charAt(k - 1) != '_' && code.charAt(k - 1) != '.')) {
                Matcher m = WORD.matcher(code);
                if (m.find(k) && m.start() == k) {
                    String word = m.group();
                    if (word.equals("and") || word.equals("or") || word.equals("if")
                            || word.equals("else")) {
                        return k;
                    }
                    k = m.end();
                    continue;
                }
            }
            k++;
        }
        int end = code.length();
        while (end > from && (code.charAt(end - 1) == '-' || Character.isWhitespace(
                code.charAt(end - 1)))) {
            end--;  // the whitespace-control dash of '-}}' or '-%}' is not part of the operand
        }
        return end;
    }

    private static boolean hasComparison(String operand) {
        int depth = 0;
        for (int k = 0; k < operand.length(); k++) {
            char c = operand.charAt(k);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && (c == '<' || c == '>'
                    || (c == '=' || c == '!') && k + 1 < operand.length()
                            && operand.charAt(k + 1) == '=')) {
                return true;
            }
        }
        return Pattern.compile("(^|[^A-Za-z0-9_.])(in|is)\\s").matcher(
                topLevel(operand)).find();
    }

    /** The operand with everything inside brackets removed. */
    private static String topLevel(String operand) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (int k = 0; k < operand.length(); k++) {
            char c = operand.charAt(k);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0) {
                b.append(c);
            }
        }
        return " " + b;
    }
}
