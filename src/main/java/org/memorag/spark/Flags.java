package org.memorag.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A job's command-line flags: {@code --name value} pairs, some repeatable. */
final class Flags {
    private final String job;
    private final Map<String, List<String>> values;

    private Flags(String job, Map<String, List<String>> values) {
        this.job = job;
        this.values = values;
    }

    /** Parses {@code args}; unknown flags, a flag without value or a stray word fail. */
    static Flags parse(String job, String[] args, Set<String> known, String usage) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException(job + ": unexpected argument '" + a + "'\n"
                        + usage);
            }
            String name = a.substring(2);
            if (!known.contains(name)) {
                throw new IllegalArgumentException(job + ": unknown flag " + a + "\n" + usage);
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new IllegalArgumentException(job + ": " + a + " needs a value\n" + usage);
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(args[++i]);
        }
        return new Flags(job, values);
    }

    String required(String name, String usage) {
        String v = optional(name, null);
        if (v == null) {
            throw new IllegalArgumentException(job + ": --" + name + " is required\n" + usage);
        }
        return v;
    }

    String optional(String name, String fallback) {
        List<String> v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (v.size() > 1) {
            throw new IllegalArgumentException(job + ": --" + name + " given " + v.size()
                    + " times; give it once");
        }
        return v.get(0);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    Integer positiveInt(String name) {
        String v = optional(name, null);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the flag's name
        }
        throw new IllegalArgumentException(job + ": --" + name + " must be a positive integer,"
                + " got '" + v + "'");
    }
}
