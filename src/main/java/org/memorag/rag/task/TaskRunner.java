package org.memorag.rag.task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memorag.rag.ErrorCode;
import org.memorag.rag.MemoragException;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.chunk.TextLanguage;
import org.memorag.rag.config.ConfigKeys;
import org.memorag.rag.config.MemoragConfig;
import org.memorag.rag.generator.GenerationRequest;
import org.memorag.rag.generator.Generated;
import org.memorag.rag.generator.Generator;
import org.memorag.rag.memory.MemoryMode;
import org.memorag.rag.memory.MemoryReply;
import org.memorag.rag.prompt.PromptKey;
import org.memorag.rag.prompt.Prompts;
import org.memorag.rag.prompt.PyFormat;
import org.memorag.rag.retrieve.Evidence;
import org.memorag.rag.retrieve.QueryPreparation;

/**
 * The four tasks over one memorized document (BEACON_SPEC.md §1.6-1.11, T22): {@code memorag}
 * (recall + rewrite -> queries -> retrieve -> qa_gen, optionally the memory's answer appended),
 * {@code qa} (the memory answers), {@code summarize} (key points -> queries -> retrieve ->
 * sum_gen) and {@code rag} (the question alone retrieves; no memory). Stateless and thread-safe.
 */
public final class TaskRunner {
    /** Appended after the passages when the memory's answer is used (A.2; English always). */
    static final String MIGHT_BE = "The answer might be ";

    private final MemoryMode memory;
    private final Generator generator;
    private final EvidenceSource retrieval;
    private final MemoragConfig config;
    private final boolean upstreamFilter;

    public TaskRunner(MemoryMode memory, Generator generator, EvidenceSource retrieval,
            MemoragConfig config) {
        this.memory = memory;
        this.generator = generator;
        this.retrieval = retrieval;
        this.config = config;
        this.upstreamFilter = config.get(ConfigKeys.QUERY_FILTER).equals("upstream");
    }

    public Answer run(DocArtifacts doc, Question q) {
        long t0 = System.nanoTime();
        TaskType task = TaskType.parse(q.taskType() == null ? config.get(ConfigKeys.TASK_DEFAULT)
                : q.taskType());
        String question = q.question();
        if (task.needsQuestion() && (question == null || question.isBlank())) {
            throw new MemoragException(ErrorCode.BAD_QUESTION, "question " + q.questionId()
                    + ": task " + task.id() + " needs a question text");
        }
        if (q.maxNewTokens() != null && q.maxNewTokens() <= 0) {
            throw new MemoragException(ErrorCode.BAD_QUESTION, "question " + q.questionId()
                    + ": max_new_tokens must be > 0, got " + q.maxNewTokens());
        }
        if (task.needsMemory() && !doc.hasMemory()) {
            throw new MemoragException(ErrorCode.NO_MEMORY, "task " + task.id() + " needs a"
                    + " memory, and doc_id '" + doc.docId() + "' was memorized without one"
                    + " (memory.mode=none); set memory.model and memorize it again, or use"
                    + " task rag");
        }
        int finalTokens = q.maxNewTokens() != null ? q.maxNewTokens()
                : config.get(ConfigKeys.TOKENS_FINAL);
        Prompts prompts = Prompts.of(doc.language());
        Trace trace = new Trace();
        QueryPreparation prep = new QueryPreparation(TextLanguage.of(doc.language().code()),
                upstreamFilter);
        String answerText;
        List<Evidence> evidence = List.of();
        List<String> queries = List.of();
        String clues = null;
        String surrogates = null;
        String memoryAnswer = null;
        switch (task) {
            case QA -> answerText = trace.ask("answer", doc,
                    prompts.question(PromptKey.QA, question), finalTokens);
            case MEMORAG, RAG -> {
                if (task == TaskType.MEMORAG) {
                    clues = trace.ask("recall", doc, prompts.question(PromptKey.SPAN, question),
                            config.get(ConfigKeys.TOKENS_RECALL));
                    surrogates = trace.ask("rewrite", doc,
                            prompts.question(PromptKey.SUR, question),
                            config.get(ConfigKeys.TOKENS_REWRITE));
                    if (config.get(ConfigKeys.TASK_USE_MEMORY_ANSWER)) {
                        memoryAnswer = trace.ask("answer", doc,
                                prompts.question(PromptKey.QA, question),
                                config.get(ConfigKeys.TOKENS_ANSWER));
                    }
                    queries = prep.forMemorag(clues, surrogates, memoryAnswer, question);
                } else {
                    queries = List.of(question);
                }
                evidence = trace.retrieve(doc, queries);
                List<String> passages = passages(evidence);
                if (memoryAnswer != null && !memoryAnswer.isEmpty()) {
                    passages.add(MIGHT_BE + memoryAnswer + ".");
                }
                String prompt = finalPrompt(q.promptTemplate(), prompts.template(PromptKey.QA_GEN),
                        question, String.join("\n\n", passages));
                answerText = trace.generate(prompt, question, passages, finalTokens, doc);
            }
            case SUMMARIZE -> {
                String keyPoints = trace.ask("key_points", doc, prompts.template(PromptKey.SUM),
                        config.get(ConfigKeys.TOKENS_KEY_POINTS));
                clues = keyPoints;
                try {
                    queries = prep.forSummary(keyPoints);
                } catch (IllegalArgumentException e) {
                    throw new MemoragException(ErrorCode.GENERATOR_FAILED, "doc_id '"
                            + doc.docId() + "': " + e.getMessage(), e);
                }
                evidence = trace.retrieve(doc, queries);
                List<String> passages = passages(evidence);
                String prompt = finalPrompt(q.promptTemplate(),
                        prompts.template(PromptKey.SUM_GEN), null, String.join("\n\n", passages));
                answerText = trace.generate(prompt, null, passages, finalTokens, doc);
            }
            default -> throw new IllegalStateException("unhandled task " + task);
        }
        trace.timings.put("total", (System.nanoTime() - t0) / 1_000_000);
        Map<String, String> models = new LinkedHashMap<>(doc.models());
        models.put("generator", generator.fingerprint());
        return new Answer(q.questionId(), doc.docId(), task.id(), question, answerText,
                lines(clues), lines(surrogates), memoryAnswer, queries, evidence, models,
                trace.timings, trace.tokens);
    }

    /** Custom template: {input} + {context}, or {context} alone without a question (§1.10). */
    static String finalPrompt(String custom, String builtIn, String question, String knowledge) {
        String template = custom != null ? custom : builtIn;
        try {
            return question != null && !question.isEmpty()
                    ? PyFormat.format(template, Map.of("input", question, "context", knowledge))
                    : PyFormat.format(template, Map.of("context", knowledge));
        } catch (IllegalArgumentException e) {
            throw new MemoragException(ErrorCode.BAD_QUESTION, "prompt_template: "
                    + e.getMessage(), e);
        }
    }

    private static List<String> passages(List<Evidence> evidence) {
        List<String> p = new ArrayList<>();
        for (Evidence e : evidence) {
            p.add(e.text());
        }
        return p;
    }

    /** The non-blank lines of a memory output, as shown in answers (null -> none). */
    static List<String> lines(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split("\n")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
    }

    /** Timings and token counts of one run, stage by stage. */
    private final class Trace {
        final Map<String, Long> timings = new LinkedHashMap<>();
        final Map<String, Integer> tokens = new LinkedHashMap<>();

        String ask(String stage, DocArtifacts doc, String instruction, int maxNewTokens) {
            long t = System.nanoTime();
            MemoryReply r = memory.ask(doc.memory(), instruction, maxNewTokens);
            timings.put(stage, (System.nanoTime() - t) / 1_000_000);
            tokens.put(stage + "_prompt", r.promptTokens());
            tokens.put(stage + "_new", r.newTokens());
            return r.text();
        }

        List<Evidence> retrieve(DocArtifacts doc, List<String> queries) {
            long t = System.nanoTime();
            List<Evidence> e = retrieval.retrieve(doc, queries);
            timings.put("retrieve", (System.nanoTime() - t) / 1_000_000);
            return e;
        }

        String generate(String prompt, String question, List<String> passages, int maxNewTokens,
                DocArtifacts doc) {
            long t = System.nanoTime();
            Generated g = generator.generate(new GenerationRequest(prompt, question, passages,
                    maxNewTokens, doc.memory()));
            timings.put("generate", (System.nanoTime() - t) / 1_000_000);
            tokens.put("generate_prompt", g.promptTokens());
            tokens.put("generate_new", g.newTokens());
            return g.text();
        }
    }
}
