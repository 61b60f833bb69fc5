package org.memorag.engine.tokenize;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.filter.LengthFilter;

/**
 * Jinja2 filters on strings that Jinjava computes on UTF-16 code units or with Java's notion of
 * whitespace: {@code length} counts code points as Python's len() does (an emoji is 1, not 2),
 * {@code trim} strips what Python's str.strip() strips (U+3000 ideographic space, NBSP, ...).
 */
final class PythonStrFilters {
    private PythonStrFilters() {}

    /** {@code length} / {@code count}: len(); collections and maps as Jinjava counts them. */
    static final class Length implements Filter {
        private final String name;
        private final LengthFilter jinjava = new LengthFilter();

        Length(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var instanceof CharSequence s) {
                return (long) Character.codePointCount(s, 0, s.length());
            }
            return jinjava.filter(var, interpreter, args);
        }
    }

    /** {@code trim(chars=None)}: str.strip(chars). */
    static final class Trim implements Filter {
        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String s = var == null ? "" : interpreter.getAsString(var);
            String chars = args.length > 0 && args[0] != null ? args[0] : null;
            int start = 0;
            int end = s.length();
            while (start < end && strip(s.codePointAt(start), chars)) {
                start += Character.charCount(s.codePointAt(start));
            }
            while (end > start && strip(s.codePointBefore(end), chars)) {
                end -= Character.charCount(s.codePointBefore(end));
            }
            return s.substring(start, end);
        }

        private static boolean strip(int cp, String chars) {
            return chars == null ? isPythonSpace(cp) : chars.indexOf(cp) >= 0;
        }
    }

    /** Python's str.isspace() for one code point (Unicode White_Space + the C0 separators). */
    static boolean isPythonSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20) || cp == 0x85
                || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028
                || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
    }
}
