package org.memorag.rag.task;

import java.io.Serializable;

/**
 * One question about a document (a row of the questions table, DESIGN.md §6): {@code question}
 * may be null for {@code summarize}; {@code taskType} null means {@code task.default};
 * {@code maxNewTokens} null means {@code tokens.final}; {@code promptTemplate} null means the
 * built-in qa_gen / sum_gen (a custom one uses {@code {input}} and {@code {context}}).
 */
public record Question(String questionId, String question, String taskType,
        Integer maxNewTokens, String promptTemplate) implements Serializable {

    /** A question with the default task, budget and template. */
    public static Question of(String questionId, String question) {
        return new Question(questionId, question, null, null, null);
    }

    public Question withTask(String task) {
        return new Question(questionId, question, task, maxNewTokens, promptTemplate);
    }
}
