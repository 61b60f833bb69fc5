package org.memorag.rag.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.memorag.rag.ErrorCode;
import org.memorag.rag.MemoragException;

/** The tasks of a question row (DESIGN.md §6, BEACON_SPEC.md §1.6, T22). */
public enum TaskType {
    /** recall + rewrite -> queries -> retrieve -> qa_gen (MemoRAG's own flow). */
    MEMORAG,
    /** the memory answers directly; no retrieval. */
    QA,
    /** key points -> queries -> retrieve -> sum_gen; no question. */
    SUMMARIZE,
    /** baseline: retrieval with the question alone, no memory. */
    RAG;

    /** The lower-case name used in tables, config and the CLI. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean needsQuestion() {
        return this != SUMMARIZE;
    }

    public boolean needsMemory() {
        return this != RAG;
    }

    /** Parses a task name (case-insensitive); an unknown one is UNKNOWN_TASK listing the tasks. */
    public static TaskType parse(String name) {
        if (name != null) {
            for (TaskType t : values()) {
                if (t.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
        }
        throw new MemoragException(ErrorCode.UNKNOWN_TASK, "task_type '" + name + "' is not one"
                + " of " + Arrays.stream(values()).map(TaskType::id)
                        .collect(Collectors.joining(", ")));
    }
}
