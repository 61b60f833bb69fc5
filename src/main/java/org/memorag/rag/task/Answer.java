package org.memorag.rag.task;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.memorag.rag.retrieve.Evidence;

/**
 * The result of one question (the answers table, DESIGN.md §6): the answer, what the memory
 * recalled (clue lines, surrogate question lines, its own answer when asked), the retrieval
 * queries and the evidence with scores in document order, the generator's fingerprint, and
 * timings (ms) and token counts per stage.
 */
public record Answer(String questionId, String docId, String taskType, String question,
        String answer, List<String> clues, List<String> surrogateQueries, String memoryAnswer,
        List<String> queries, List<Evidence> evidence, Map<String, String> models,
        Map<String, Long> timingsMs, Map<String, Integer> tokenCounts) implements Serializable {
    public Answer {
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(taskType, "taskType");
        clues = List.copyOf(clues);
        surrogateQueries = List.copyOf(surrogateQueries);
        queries = List.copyOf(queries);
        evidence = List.copyOf(evidence);
        models = Map.copyOf(models);
        timingsMs = Map.copyOf(timingsMs);
        tokenCounts = Map.copyOf(tokenCounts);
    }
}
