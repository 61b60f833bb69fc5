package org.memorag.rag.prompt;

import java.util.Map;

/**
 * Python {@code str.format} with named fields only (BEACON_SPEC.md A.5): {@code {name}} is
 * replaced by its value inserted literally, {@code {{} and {@code }}} give single braces, an
 * unknown name, a positional or indexed field, a conversion or format spec, and an unmatched
 * brace are errors (as Python raises KeyError / ValueError / IndexError).
 */
public final class PyFormat {
    private PyFormat() {}

    public static String format(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        int n = template.length();
        int i = 0;
        while (i < n) {
            char c = template.charAt(i);
            if (c == '{') {
                if (i + 1 < n && template.charAt(i + 1) == '{') {
                    out.append('{');
                    i += 2;
                    continue;
                }
                int close = template.indexOf('}', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("prompt template has a '{' at offset " + i
                            + " without a closing '}' (write '{{' for a literal brace)");
                }
                String field = template.substring(i + 1, close);
                out.append(value(field, values, i));
                i = close + 1;
            } else if (c == '}') {
                if (i + 1 < n && template.charAt(i + 1) == '}') {
                    out.append('}');
                    i += 2;
                    continue;
                }
                throw new IllegalArgumentException("prompt template has a single '}' at offset "
                        + i + " (write '}}' for a literal brace)");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String value(String field, Map<String, String> values, int offset) {
        if (field.isEmpty() || field.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("prompt template field '{" + field + "}' at offset "
                    + offset + " is positional; use a named field: " + names(values));
        }
        if (!field.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("prompt template field '{" + field + "}' at offset "
                    + offset + " is not a plain name (no conversions, format specs, attributes"
                    + " or indexes); fields available: " + names(values));
        }
        String v = values.get(field);
        if (v == null) {
            throw new IllegalArgumentException("prompt template field '{" + field + "}' at offset "
                    + offset + " has no value; fields available here: " + names(values));
        }
        return v;
    }

    private static String names(Map<String, String> values) {
        return values.keySet().stream().sorted().map(k -> "{" + k + "}")
                .reduce((a, b) -> a + ", " + b).orElse("none");
    }
}
