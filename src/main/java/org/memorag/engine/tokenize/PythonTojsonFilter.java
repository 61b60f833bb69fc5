package org.memorag.engine.tokenize;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The {@code tojson} filter transformers installs in chat templates: Python's
 * {@code json.dumps(x, ensure_ascii=False, indent=indent, separators=separators,
 * sort_keys=sort_keys)}. Jinjava's own tojson writes compact Jackson JSON ({"a":1}), Python
 * writes {"a": 1}; the bytes matter because they become prompt tokens.
 */
final class PythonTojsonFilter implements AdvancedFilter {
    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args,
            Map<String, Object> kwargs) {
        Object indentArg = kwargs.containsKey("indent") ? kwargs.get("indent")
                : args.length > 0 ? args[0] : null;
        String indent = null;
        if (indentArg instanceof Number n) {
            indent = " ".repeat(n.intValue());
        } else if (indentArg instanceof String s) {
            indent = s;
        }
        String itemSep = indent == null ? ", " : ",";
        String keySep = ": ";
        if (kwargs.get("separators") instanceof List<?> seps && seps.size() == 2) {
            itemSep = String.valueOf(seps.get(0));
            keySep = String.valueOf(seps.get(1));
        }
        boolean sortKeys = Boolean.TRUE.equals(kwargs.get("sort_keys"));
        boolean ensureAscii = Boolean.TRUE.equals(kwargs.get("ensure_ascii"));
        StringBuilder out = new StringBuilder();
        new Writer(indent, itemSep, keySep, sortKeys, ensureAscii, out).value(var, 0);
        return out.toString();
    }

    private record Writer(String indent, String itemSep, String keySep, boolean sortKeys,
            boolean ensureAscii, StringBuilder out) {
        void value(Object v, int level) {
            if (v == null) {
                out.append("null");
            } else if (v instanceof Boolean b) {
                out.append(b ? "true" : "false");
            } else if (v instanceof Double || v instanceof Float) {
                out.append(pythonFloat(((Number) v).doubleValue()));
            } else if (v instanceof Number n) {
                out.append(n);
            } else if (v instanceof Map<?, ?> m) {
                List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
                if (sortKeys) {
                    entries.sort((a, b) -> String.valueOf(a.getKey())
                            .compareTo(String.valueOf(b.getKey())));
                }
                container('{', '}', entries, level, true);
            } else if (v instanceof Collection<?> c) {
                container('[', ']', new ArrayList<>(c), level, false);
            } else if (v instanceof Object[] a) {
                container('[', ']', List.of(a), level, false);
            } else {
                string(v.toString());
            }
        }

        private void container(char open, char close, List<?> items, int level, boolean map) {
            out.append(open);
            if (items.isEmpty()) {
                out.append(close);
                return;
            }
            for (int k = 0; k < items.size(); k++) {
                if (k > 0) {
                    out.append(itemSep);
                }
                newline(level + 1);
                if (map) {
                    Map.Entry<?, ?> e = (Map.Entry<?, ?>) items.get(k);
                    string(String.valueOf(e.getKey()));
                    out.append(keySep);
                    value(e.getValue(), level + 1);
                } else {
                    value(items.get(k), level + 1);
                }
            }
            newline(level);
            out.append(close);
        }

        private void newline(int level) {
            if (indent != null) {
                out.append('\n').append(indent.repeat(level));
            }
        }

        private void string(String s) {
            out.append('"');
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20 || ensureAscii && c > 0x7e) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }

    /** Python's repr(float): 1.0, 0.001, 1e-05, 1e+16, NaN, Infinity. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        double abs = Math.abs(d);
        if (abs >= 1e-4 && abs < 1e16) {
            String plain = b.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = b.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - b.scale();
        String mantissa = digits.length() == 1 ? digits
                : digits.charAt(0) + "." + digits.substring(1);
        return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                + String.format("%02d", Math.abs(exponent));
    }
}
