package org.memorag.rag.memory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.memorag.engine.generate.GenerationConfig;
import org.memorag.engine.model.LanguageModel;
import org.memorag.engine.model.ModelMemory;
import org.memorag.engine.tokenize.ChatMessage;
import org.memorag.rag.MemoragException;
import org.memorag.rag.ErrorCode;
import org.memorag.rag.prompt.PromptKey;
import org.memorag.rag.prompt.Prompts;
import org.memorag.rag.prompt.PyFormat;

/**
 * {@code memory.mode=lite} (MemoRAG Lite, BEACON_SPEC.md §1.12): an LLM summarises each
 * ~4096-token chunk with the gist prompt, the gists are joined with "\n" and the context prompt
 * over them is prefilled as a plain KV cache. Upstream hard-codes ChatML; we use the LLM's own
 * template (Q25) with the same layout: the memory is the open user turn up to the end of the
 * context prompt, each instruction continues that turn and closes it with the template's own
 * end-of-turn and generation prompt — for ChatML exactly upstream's
 * {@code <|im_start|>user\n{context}{instruction}<|im_end|>\n<|im_start|>assistant\n}.
 */
public final class LiteMemory implements MemoryMode {
    /** Splits the rendered user turn where the instruction goes (never in real text). */
    private static final String MARK = "\u0000MEMORAG-INSTRUCTION\u0000";

    private final LanguageModel llm;
    private final Function<String, List<String>> gistChunks;
    private final int gistMaxNewTokens;
    private final double repetitionPenalty;
    private final String prefixBeforeMark;
    private final String suffixAfterMark;

    /**
     * @param gistChunks splits a document into the chunks that become one gist each
     */
    public LiteMemory(LanguageModel llm, Function<String, List<String>> gistChunks,
            int gistMaxNewTokens, double repetitionPenalty) {
        this.llm = llm;
        this.gistChunks = gistChunks;
        this.gistMaxNewTokens = gistMaxNewTokens;
        this.repetitionPenalty = repetitionPenalty;
        String[] parts = split(llm.renderChat(List.of(ChatMessage.user(MARK)), true));
        this.prefixBeforeMark = parts[0];
        this.suffixAfterMark = parts[1];
    }

    private String[] split(String rendered) {
        int at = rendered.indexOf(MARK);
        if (at < 0 || rendered.indexOf(MARK, at + 1) >= 0) {
            throw new IllegalArgumentException("the chat template of " + llm + " does not keep a"
                    + " user message verbatim; lite memory needs one that does (e.g. ChatML)");
        }
        return new String[] {rendered.substring(0, at), rendered.substring(at + MARK.length())};
    }

    @Override
    public String name() {
        return "lite";
    }

    @Override
    public String fingerprint() {
        return llm.fingerprint();
    }

    /** The gists of {@code text}, one per chunk, in order. */
    public List<String> gists(String text, Prompts prompts) {
        List<String> out = new ArrayList<>();
        GenerationConfig greedy = GenerationConfig.greedy(gistMaxNewTokens)
                .withRepetitionPenalty(repetitionPenalty);
        for (String chunk : gistChunks.apply(text)) {
            String prompt = PyFormat.format(prompts.template(PromptKey.GIST),
                    Map.of("context", chunk));
            int[] ids = llm.tokenize(llm.renderChat(List.of(ChatMessage.user(prompt)), true));
            out.add(llm.detokenize(llm.generate(null, ids, greedy)));
        }
        return out;
    }

    @Override
    public Memorized memorize(String text, Prompts prompts) {
        long t0 = System.nanoTime();
        String gists = String.join("\n", gists(text, prompts));
        long gistMs = (System.nanoTime() - t0) / 1_000_000;
        String memoryText = prefixBeforeMark + prompts.context(gists);
        int[] ids = llm.tokenize(memoryText);
        return new Memorized(llm.memorize(ids), ids.length, gistMs);
    }

    @Override
    public ModelMemory readMemory(InputStream in) throws IOException {
        return llm.readMemory(in);
    }

    @Override
    public MemoryReply ask(ModelMemory memory, String instruction, int maxNewTokens) {
        if (memory == null) {
            throw new MemoragException(ErrorCode.NO_MEMORY, "this document has no lite memory;"
                    + " memorize it again with memory.mode=lite");
        }
        int[] ids = llm.tokenize(instruction + suffixAfterMark);
        int[] out = llm.generate(memory, ids, GenerationConfig.greedy(maxNewTokens)
                .withRepetitionPenalty(repetitionPenalty));
        return new MemoryReply(llm.detokenize(out), ids.length, out.length);
    }

    /** The LLM belongs to whoever loaded it (the pipeline shares it with generators). */
    @Override
    public void close() {}
}
