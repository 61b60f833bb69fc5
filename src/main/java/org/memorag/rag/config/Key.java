package org.memorag.rag.config;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One configuration key: its name, value type, default and meaning. Keys are declared only in
 * {@link ConfigKeys}; nothing else holds a default. Values are kept as strings and parsed by
 * {@link #parse}, which names the key and what is allowed when a value is bad.
 *
 * @param <T> the parsed value type
 */
public final class Key<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The value types a key may have, as documented in conf/memorag.properties. */
    public enum Type { INT, DOUBLE, BOOLEAN, STRING, CHOICE, PATH, ENV_NAME }

    private final String name;
    private final Type type;
    private final String defaultValue;
    private final String description;
    private final List<String> choices;
    private final Class<T> valueClass;

    private Key(String name, Type type, String defaultValue, String description,
            List<String> choices, Class<T> valueClass) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.description = description;
        this.choices = List.copyOf(choices);
        this.valueClass = valueClass;
        parse(defaultValue); // a bad default is a programming error: fail at class init
    }

    public static Key<Integer> ofInt(String name, int defaultValue, String description) {
        return new Key<>(name, Type.INT, Integer.toString(defaultValue), description, List.of(),
                Integer.class);
    }

    public static Key<Double> ofDouble(String name, double defaultValue, String description) {
        return new Key<>(name, Type.DOUBLE, Double.toString(defaultValue), description,
                List.of(), Double.class);
    }

    public static Key<Boolean> ofBoolean(String name, boolean defaultValue, String description) {
        return new Key<>(name, Type.BOOLEAN, Boolean.toString(defaultValue), description,
                List.of(), Boolean.class);
    }

    public static Key<String> ofString(String name, String defaultValue, String description) {
        return new Key<>(name, Type.STRING, defaultValue, description, List.of(), String.class);
    }

    /** A folder or file path; empty means "not configured". */
    public static Key<String> ofPath(String name, String description) {
        return new Key<>(name, Type.PATH, "", description, List.of(), String.class);
    }

    /** The name of an environment variable (never the secret itself). */
    public static Key<String> ofEnvName(String name, String defaultValue, String description) {
        return new Key<>(name, Type.ENV_NAME, defaultValue, description, List.of(),
                String.class);
    }

    public static Key<String> ofChoice(String name, String defaultValue, List<String> choices,
            String description) {
        return new Key<>(name, Type.CHOICE, defaultValue, description, choices, String.class);
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public List<String> choices() {
        return choices;
    }

    /** A short type label for documentation: "int", "choice: a|b", ... */
    public String typeLabel() {
        return type == Type.CHOICE ? "choice: " + String.join("|", choices)
                : type.name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code raw} (already trimmed) or throws naming this key and what it accepts. */
    public T parse(String raw) {
        String v = raw.trim();
        Object value = switch (type) {
            case INT -> {
                try {
                    yield Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw bad(raw, "an integer");
                }
            }
            case DOUBLE -> {
                try {
                    double d = Double.parseDouble(v);
                    if (!Double.isFinite(d)) {
                        throw bad(raw, "a finite number");
                    }
                    yield d;
                } catch (NumberFormatException e) {
                    throw bad(raw, "a number");
                }
            }
            case BOOLEAN -> {
                String l = v.toLowerCase(Locale.ROOT);
                if (!l.equals("true") && !l.equals("false")) {
                    throw bad(raw, "true or false");
                }
                yield Boolean.parseBoolean(l);
            }
            case CHOICE -> {
                if (!choices.contains(v)) {
                    throw bad(raw, "one of " + String.join(", ", choices));
                }
                yield v;
            }
            case ENV_NAME -> {
                if (!v.isEmpty() && !v.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    // never echo the value: it may be a secret pasted by mistake
                    throw new IllegalArgumentException("config key '" + name + "' must name an"
                            + " environment variable (letters, digits, _), not hold a secret;"
                            + " put the secret in that variable and set " + name + " to its name");
                }
                yield v;
            }
            case STRING, PATH -> v;
        };
        return valueClass.cast(value);
    }

    private IllegalArgumentException bad(String raw, String expected) {
        return new IllegalArgumentException("config key '" + name + "' has value '" + raw
                + "'; expected " + expected);
    }

    @Override
    public String toString() {
        return name;
    }
}
