package org.memorag.spark;

import java.io.Serializable;
import java.util.List;

/**
 * One row of the questions table (DESIGN.md §6). {@code question} is null for {@code summarize};
 * {@code taskType} is already filled with the job's default when the input had none;
 * {@code answers} (gold answers), {@code maxNewTokens} and {@code promptTemplate} may be null.
 */
public record QuestionRow(String questionId, String docId, String question, String taskType,
        List<String> answers, Integer maxNewTokens, String promptTemplate) implements Serializable {
    public QuestionRow {
        answers = answers == null ? null : List.copyOf(answers);
    }
}
