package org.memorag.rag.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memorag.engine.model.ModelMemory;
import org.memorag.rag.ErrorCode;
import org.memorag.rag.MemoragException;
import org.memorag.rag.artifact.ChunkRecord;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.config.MemoragConfig;
import org.memorag.rag.generator.Generated;
import org.memorag.rag.generator.GenerationRequest;
import org.memorag.rag.generator.Generator;
import org.memorag.rag.memory.MemoryMode;
import org.memorag.rag.memory.MemoryReply;
import org.memorag.rag.prompt.Language;
import org.memorag.rag.prompt.PromptKey;
import org.memorag.rag.prompt.Prompts;
import org.memorag.rag.retrieve.Evidence;

/**
 * Task routing (BEACON_SPEC.md §1.6-1.11, T14, T15, T22) with a memory that answers by prompt
 * and recording retrieval and generator, so every prompt and query list can be checked exactly.
 */
class TaskRunnerTest {
    private static final Prompts EN = Prompts.of(Language.EN);
    private static final String Q = "Why did the mill close?";

    /** Answers each known prompt with a fixed text and records the instructions it saw. */
    private static final class ScriptedMemory implements MemoryMode {
        final List<String> instructions = new ArrayList<>();
        final List<Integer> budgets = new ArrayList<>();

        @Override
        public String name() {
            return "longllm";
        }

        @Override
        public String fingerprint() {
            return "scripted";
        }

        @Override
        public Memorized memorize(String text, Prompts prompts) {
            throw new UnsupportedOperationException("not used here");
        }

        @Override
        public ModelMemory readMemory(InputStream in) {
            throw new UnsupportedOperationException("not used here");
        }

        @Override
        public MemoryReply ask(ModelMemory memory, String instruction, int maxNewTokens) {
            instructions.add(instruction);
            budgets.add(maxNewTokens);
            String text;
            if (instruction.equals(EN.question(PromptKey.SPAN, Q))) {
                text = "the mill lost its river water\nshort\nowners sold the land in 1901";
            } else if (instruction.equals(EN.question(PromptKey.SUR, Q))) {
                text = "What happened to the river that drove the mill?\nWho?";
            } else if (instruction.equals(EN.question(PromptKey.QA, Q))) {
                text = "drought";
            } else if (instruction.equals(EN.template(PromptKey.SUM))) {
                text = "1. The mill opened in 1850 downtown.\n2. Short.\n3. The river dried up"
                        + " in 1899.";
            } else {
                throw new AssertionError("unexpected instruction: " + instruction);
            }
            return new MemoryReply(text, 10, 3);
        }

        @Override
        public void close() {}
    }

    private static final class Recorder implements Generator, EvidenceSource {
        final List<List<String>> queryLists = new ArrayList<>();
        final List<GenerationRequest> requests = new ArrayList<>();

        @Override
        public List<Evidence> retrieve(DocArtifacts doc, List<String> queries) {
            queryLists.add(queries);
            return List.of(new Evidence(0, 0.5f, "Passage zero."),
                    new Evidence(2, 0.9f, "Passage two."));
        }

        @Override
        public String type() {
            return "recorder";
        }

        @Override
        public String fingerprint() {
            return "rec";
        }

        @Override
        public Generated generate(GenerationRequest request) {
            requests.add(request);
            return new Generated("final answer", 5, 2);
        }
    }

    private final ScriptedMemory memory = new ScriptedMemory();
    private final Recorder rec = new Recorder();

    private TaskRunner runner(MemoragConfig config) {
        return new TaskRunner(memory, rec, rec, config);
    }

    private static DocArtifacts doc(ModelMemory m) {
        return new DocArtifacts("d1", "cd".repeat(32), "fp0001", Language.EN,
                m == null ? "none" : "longllm", m, Map.of(), Map.of(), new byte[1],
                List.of(new ChunkRecord(0, "Passage zero.", 0, 13, 3)), 13, 3, 1);
    }

    private static final ModelMemory SOME_MEMORY = new ModelMemory() {
        @Override public String kind() { return "kv"; }
        @Override public int inputTokens() { return 1; }
        @Override public int slots() { return 1; }
        @Override public long bytes() { return 1; }
        @Override public Map<String, String> metadata() { return Map.of(); }
        @Override public void writeTo(java.io.OutputStream out) {}
        @Override public void close() {}
    };

    @Test
    void memoragRecallsRewritesFiltersAndAnswersWithQaGen() {
        Answer a = runner(MemoragConfig.defaults()).run(doc(SOME_MEMORY), Question.of("q1", Q));
        assertEquals(List.of(EN.question(PromptKey.SPAN, Q), EN.question(PromptKey.SUR, Q)),
                memory.instructions);
        assertEquals(List.of(128, 128), memory.budgets);
        assertEquals(List.of(List.of("the mill lost its river water",
                "owners sold the land in 1901",
                "What happened to the river that drove the mill?", Q)), rec.queryLists);
        GenerationRequest g = rec.requests.get(0);
        assertEquals("Read the text below and answer a question.\n\nPassage zero.\n\nPassage two."
                + "\n\nQuestion: " + Q + "\n\nBe concise.", g.prompt());
        assertEquals(256, g.maxNewTokens());
        assertEquals("final answer", a.answer());
        assertEquals("memorag", a.taskType());
        assertEquals(List.of("the mill lost its river water", "short",
                "owners sold the land in 1901"), a.clues());
        assertEquals(2, a.evidence().size());
        assertTrue(a.timingsMs().keySet().containsAll(List.of("recall", "rewrite", "retrieve",
                "generate", "total")), a.timingsMs().toString());
    }

    @Test
    void memoryAnswerGoesBeforeTheQuestionAndAfterThePassages() {
        MemoragConfig c = MemoragConfig.builder().set("task.use_memory_answer", "true").build();
        Answer a = runner(c).run(doc(SOME_MEMORY), Question.of("q1", Q));
        List<String> queries = rec.queryLists.get(0);
        assertEquals(List.of("drought", Q), queries.subList(queries.size() - 2, queries.size()));
        assertEquals("drought", a.memoryAnswer());
        assertTrue(rec.requests.get(0).prompt().contains(
                "Passage two.\n\nThe answer might be drought.\n\nQuestion: "),
                rec.requests.get(0).prompt());
    }

    @Test
    void qaIsTheMemoryAloneWithTheFinalBudget() {
        Answer a = runner(MemoragConfig.defaults()).run(doc(SOME_MEMORY),
                new Question("q", Q, "qa", 40, null));
        assertEquals("drought", a.answer());
        assertEquals(List.of(40), memory.budgets);
        assertTrue(rec.queryLists.isEmpty() && rec.requests.isEmpty());
    }

    @Test
    void summarizeUsesKeyPointLinesAndSumGen() {
        Answer a = runner(MemoragConfig.defaults()).run(doc(SOME_MEMORY),
                new Question("s", null, "summarize", null, null));
        assertEquals(List.of(512), memory.budgets);
        assertEquals(List.of(List.of("1. The mill opened in 1850 downtown.",
                "3. The river dried up in 1899.")), rec.queryLists);
        assertEquals("Summarize the following text.\n\nPassage zero.\n\nPassage two.",
                rec.requests.get(0).prompt());
        assertEquals("summarize", a.taskType());
    }

    @Test
    void ragRetrievesWithTheQuestionAloneAndNeedsNoMemory() {
        Answer a = runner(MemoragConfig.defaults()).run(doc(null),
                new Question("r", Q, "rag", null, null));
        assertTrue(memory.instructions.isEmpty());
        assertEquals(List.of(List.of(Q)), rec.queryLists);
        assertEquals("final answer", a.answer());
    }

    @Test
    void customTemplateGetsInputAndContext() {
        runner(MemoragConfig.defaults()).run(doc(null), new Question("r", Q, "rag", null,
                "C={context}|Q={input}|{{literal}}"));
        assertEquals("C=Passage zero.\n\nPassage two.|Q=" + Q + "|{literal}",
                rec.requests.get(0).prompt());
        MemoragException e = assertThrows(MemoragException.class,
                () -> runner(MemoragConfig.defaults()).run(doc(null),
                        new Question("r", Q, "rag", null, "{question} {context}")));
        assertEquals(ErrorCode.BAD_QUESTION, e.code());
    }

    @Test
    void badQuestionsHaveCodes() {
        TaskRunner r = runner(MemoragConfig.defaults());
        assertEquals(ErrorCode.UNKNOWN_TASK, assertThrows(MemoragException.class,
                () -> r.run(doc(SOME_MEMORY), new Question("x", Q, "translate", null, null)))
                .code());
        assertEquals(ErrorCode.BAD_QUESTION, assertThrows(MemoragException.class,
                () -> r.run(doc(SOME_MEMORY), new Question("x", " ", "memorag", null, null)))
                .code());
        assertEquals(ErrorCode.BAD_QUESTION, assertThrows(MemoragException.class,
                () -> r.run(doc(SOME_MEMORY), new Question("x", Q, "qa", 0, null))).code());
        MemoragException e = assertThrows(MemoragException.class,
                () -> r.run(doc(null), Question.of("x", Q)));
        assertEquals(ErrorCode.NO_MEMORY, e.code());
        assertTrue(e.getMessage().contains("memory.model"), e.getMessage());
    }
}
