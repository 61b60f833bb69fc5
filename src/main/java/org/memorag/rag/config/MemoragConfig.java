package org.memorag.rag.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The typed, immutable configuration of one pipeline: defaults from {@link ConfigKeys}, then
 * properties files, then overrides (later wins). Every value is parsed when the config is built,
 * so a bad key or value fails before any work starts. Serializable: Spark ships it to executors.
 */
public final class MemoragConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Effective raw value of every key (defaults filled in), by key name. */
    private final TreeMap<String, String> values;

    private MemoragConfig(Map<String, String> values) {
        this.values = new TreeMap<>(values);
    }

    /** The built-in defaults only: the embedded CPU setup. */
    public static MemoragConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The parsed value of {@code key}. */
    public <T> T get(Key<T> key) {
        String raw = values.get(key.name());
        if (raw == null) {
            throw new IllegalArgumentException("config key '" + key.name()
                    + "' is not declared in ConfigKeys");
        }
        return key.parse(raw);
    }

    /** True when {@code key} has a non-empty value (for path and string keys). */
    public boolean isSet(Key<String> key) {
        return !get(key).isEmpty();
    }

    /** A copy with {@code key} set to {@code value} (validated). */
    public MemoragConfig with(String key, String value) {
        return builder().putAll(values, "base").set(key, value).build();
    }

    /** Effective raw values of all keys, sorted by name (no secrets: keys only name env vars). */
    public Map<String, String> asMap() {
        return new LinkedHashMap<>(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemoragConfig c && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "MemoragConfig" + values;
    }

    /**
     * The key nearest to {@code name} by edit distance (for "did you mean" messages), or null
     * when nothing is reasonably close.
     */
    static String nearestKey(String name) {
        return ConfigKeys.ALL.stream().map(Key::name)
                .min(Comparator.comparingInt((String k) -> distance(name, k)))
                .filter(k -> distance(name, k) <= Math.max(3, k.length() / 2))
                .orElse(null);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Collects files and overrides; {@link #build} applies defaults < files < overrides. */
    public static final class Builder {
        private final Map<String, String> fileValues = new LinkedHashMap<>();
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {}

        /** Reads a properties file (UTF-8); its keys must be known. */
        public Builder properties(Path file) {
            Objects.requireNonNull(file, "file");
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("config file " + file + " does not exist;"
                        + " pass an existing --conf file (see conf/memorag.properties)", e);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot read config file " + file + ": "
                        + e.getMessage(), e);
            }
            for (String k : p.stringPropertyNames()) {
                check(k, p.getProperty(k), file.toString());
                fileValues.put(k, p.getProperty(k).trim());
            }
            return this;
        }

        /** Adds values as if read from a file named {@code source} (for messages). */
        public Builder putAll(Map<String, String> entries, String source) {
            entries.forEach((k, v) -> {
                check(k, v, source);
                fileValues.put(k, v.trim());
            });
            return this;
        }

        /** An override (a CLI flag or {@code --conf key=value}); wins over every file. */
        public Builder set(String key, String value) {
            check(key, value, "override");
            overrides.put(key, value.trim());
            return this;
        }

        public <T> Builder set(Key<T> key, Object value) {
            return set(key.name(), String.valueOf(value));
        }

        public MemoragConfig build() {
            Map<String, String> all = new LinkedHashMap<>();
            for (Key<?> k : ConfigKeys.ALL) {
                all.put(k.name(), k.defaultValue());
            }
            all.putAll(fileValues);
            all.putAll(overrides);
            return new MemoragConfig(all);
        }

        private static void check(String key, String value, String source) {
            Objects.requireNonNull(value, () -> "config key '" + key + "' has no value");
            Key<?> k = ConfigKeys.BY_NAME.get(key);
            if (k == null) {
                String near = nearestKey(key);
                throw new IllegalArgumentException("unknown config key '" + key + "' in " + source
                        + (near != null ? "; did you mean '" + near + "'?"
                                : "; the keys are listed in conf/memorag.properties"));
            }
            try {
                k.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (in " + source + ")", e);
            }
        }
    }
}
