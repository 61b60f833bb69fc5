package org.memorag.spark;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.memorag.testing.LocalSpark;

/**
 * Test inputs for the job ITs, built in a temp dir from the repository's demo corpus
 * (src/demo/loogle: three LooGLE Wikipedia articles, MIT) plus bad rows of every kind.
 */
final class JobInputs {
    private JobInputs() {}

    static final String PENSION = "2023-French-pension-reform-unrest";
    static final String ABE = "Assassination-of-Shinzo-Abe";
    static final String NAGA = "Execution-of-Nagaenthran-K.-Dharmalingam";

    static Path demo(String file) {
        return LocalSpark.projectDir().resolve("src/demo/loogle").resolve(file);
    }

    /**
     * The demo documents whose doc_id is in {@code ids}, as JSON lines, each cut to its first
     * {@code maxChars} characters (a few chunks: keeps the ITs fast on 2 shared cores).
     */
    static List<String> docLines(List<String> ids, int maxChars) {
        List<String> out = new ArrayList<>();
        for (String line : lines(demo("docs.jsonl"))) {
            JsonObject doc = JsonParser.parseString(line).getAsJsonObject();
            if (ids.contains(doc.get("doc_id").getAsString())) {
                String text = doc.get("text").getAsString();
                doc.addProperty("text", text.substring(0, Math.min(maxChars, text.length())));
                out.add(doc.toString());
            }
        }
        if (out.size() != ids.size()) {
            throw new IllegalStateException("demo corpus lacks some of " + ids);
        }
        return out;
    }

    /** The first {@code perDoc} demo questions of each document in {@code ids}. */
    static List<String> questionLines(List<String> ids, int perDoc) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            int n = 0;
            for (String line : lines(demo("questions.jsonl"))) {
                if (n < perDoc && (line.contains("\"doc_id\": \"" + id + "\"")
                        || line.contains("\"doc_id\":\"" + id + "\""))) {
                    out.add(line);
                    n++;
                }
            }
        }
        return out;
    }

    static Path write(Path file, List<String> lines) {
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }
}
