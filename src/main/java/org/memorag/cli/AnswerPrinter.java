package org.memorag.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.memorag.rag.retrieve.Evidence;
import org.memorag.rag.task.Answer;

/** Renders an {@link Answer} for {@code ask}: one JSON object, or an explanation for a person. */
final class AnswerPrinter {
    private static final int EXCERPT = 400;

    private AnswerPrinter() {}

    /** One line of JSON: answer, task_type, clues, surrogate_queries, memory_answer, evidence... */
    static String json(Answer a) {
        JsonObject o = new JsonObject();
        o.addProperty("doc_id", a.docId());
        o.addProperty("question", a.question());
        o.addProperty("task_type", a.taskType());
        o.addProperty("answer", a.answer());
        o.add("clues", strings(a.clues()));
        o.add("surrogate_queries", strings(a.surrogateQueries()));
        o.addProperty("memory_answer", a.memoryAnswer());
        o.add("queries", strings(a.queries()));
        JsonArray ev = new JsonArray();
        for (Evidence e : a.evidence()) {
            JsonObject x = new JsonObject();
            x.addProperty("chunk_id", e.chunkId());
            x.addProperty("score", e.score());
            x.addProperty("text", e.text());
            ev.add(x);
        }
        o.add("evidence", ev);
        JsonObject t = new JsonObject();
        new TreeMap<>(a.timingsMs()).forEach(t::addProperty);
        o.add("timings_ms", t);
        JsonObject n = new JsonObject();
        new TreeMap<>(a.tokenCounts()).forEach(n::addProperty);
        o.add("token_counts", n);
        JsonObject m = new JsonObject();
        new TreeMap<>(a.models()).forEach(m::addProperty);
        o.add("models", m);
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(o);
    }

    /** The answer, then what the memory recalled, the queries and the evidence with scores. */
    static String explain(Answer a) {
        StringBuilder s = new StringBuilder();
        s.append("Answer (").append(a.taskType()).append("):\n  ").append(a.answer().strip())
                .append("\n");
        section(s, a.taskType().equals("summarize") ? "Key points" : "Clues (recall)",
                a.clues());
        section(s, "Surrogate queries (rewrite)", a.surrogateQueries());
        if (a.memoryAnswer() != null) {
            s.append("\nMemory answer:\n  ").append(a.memoryAnswer().strip()).append("\n");
        }
        section(s, "Retrieval queries", a.queries());
        s.append("\nEvidence (").append(a.evidence().size()).append(" chunks, document order):\n");
        for (Evidence e : a.evidence()) {
            s.append(String.format("  [chunk %d] score %.4f%n", e.chunkId(), e.score()));
            String text = e.text().replaceAll("\\s+", " ");
            s.append("    ").append(text.length() <= EXCERPT ? text
                    : text.substring(0, EXCERPT) + "...").append("\n");
        }
        s.append("\nTimings (ms):");
        for (Map.Entry<String, Long> t : new TreeMap<>(a.timingsMs()).entrySet()) {
            s.append(" ").append(t.getKey()).append("=").append(t.getValue());
        }
        s.append("\n");
        return s.toString();
    }

    private static void section(StringBuilder s, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        s.append("\n").append(title).append(":\n");
        for (String l : lines) {
            s.append("  - ").append(l).append("\n");
        }
    }

    private static JsonArray strings(List<String> xs) {
        JsonArray a = new JsonArray();
        xs.forEach(a::add);
        return a;
    }
}
