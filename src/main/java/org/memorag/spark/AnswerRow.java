package org.memorag.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One row of the answers table (DESIGN.md §6): exactly one per input question. An error row has
 * {@code status = "error"}, {@code error = "CODE: sentence"} and null answer fields.
 *
 * @param queries the retrieval queries (clues, surrogate questions, the question)
 * @param models fingerprints of the models that produced the answer, by role
 * @param timingsMs per-step wall times in milliseconds (recall, retrieve, generate, ...)
 * @param totalMs the whole question's wall time in the task, including loading its document
 * @param tokenCounts token counts per step (prompt, generated, ...)
 * @param goldAnswers the question row's {@code answers}, carried along for the evaluation job
 */
public record AnswerRow(String questionId, String docId, String taskType, String question,
        String answer, List<String> clues, List<String> surrogateQueries, List<String> queries,
        List<EvidenceRow> evidence, String memoryAnswer, Map<String, String> models,
        Map<String, Long> timingsMs, long totalMs, Map<String, Integer> tokenCounts,
        List<String> goldAnswers, String status, String error) implements Serializable {
    public static final String OK = "ok";
    public static final String ERROR = "error";

    public AnswerRow {
        if (!OK.equals(status) && !ERROR.equals(status)) {
            throw new IllegalArgumentException("answer status must be ok or error, got " + status);
        }
        if (ERROR.equals(status) && (error == null || error.isBlank())) {
            throw new IllegalArgumentException("an error answer row for question_id=" + questionId
                    + " needs an error message");
        }
        clues = clues == null ? null : List.copyOf(clues);
        surrogateQueries = surrogateQueries == null ? null : List.copyOf(surrogateQueries);
        queries = queries == null ? null : List.copyOf(queries);
        models = models == null ? null : Map.copyOf(models);
        tokenCounts = tokenCounts == null ? null : Map.copyOf(tokenCounts);
        evidence = evidence == null ? null : List.copyOf(evidence);
        timingsMs = timingsMs == null ? null : Map.copyOf(timingsMs);
        goldAnswers = goldAnswers == null ? null : List.copyOf(goldAnswers);
    }

    /** An error row that keeps what is known of the question (any of it may be null). */
    public static AnswerRow error(String questionId, String docId, String taskType,
            String question, List<String> goldAnswers, String error) {
        return new AnswerRow(questionId, docId, taskType, question, null, null, null, null, null,
                null, null, null, 0L, null, goldAnswers, ERROR, error);
    }
}
