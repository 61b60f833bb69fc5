package org.memorag.rag.memory;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.memorag.engine.generate.GenerationConfig;
import org.memorag.engine.model.LanguageModel;
import org.memorag.engine.model.ModelMemory;
import org.memorag.engine.tokenize.ChatMessage;
import org.memorag.rag.ErrorCode;
import org.memorag.rag.MemoragException;
import org.memorag.rag.prompt.Prompts;

/**
 * {@code longllm} and {@code beacon}: a causal LM reads the chat-rendered context prompt and the
 * fixed assistant reply (BEACON_SPEC.md §1.4); a plain decoder keeps the KV cache of every token,
 * a beacon checkpoint its compressed beacon memory — same code, the {@link LanguageModel}
 * decides.
 * Each instruction is one separately rendered and tokenized user turn appended to the memory
 * (§1.7, Q12, Q31), decoded greedily; the memory itself never changes.
 */
public final class ModelMemoryMode implements MemoryMode {
    private final LanguageModel model;
    private final String configured;
    private final boolean localizedReply;
    private final double repetitionPenalty;
    private final int maxContextTokens;

    /**
     * @param configured       memory.mode: auto, longllm or beacon
     * @param maxContextTokens refuse longer memory prompts; 0 = no limit (Q38)
     */
    public ModelMemoryMode(LanguageModel model, String configured, boolean localizedReply,
            double repetitionPenalty, int maxContextTokens) {
        if (!List.of("auto", "longllm", "beacon").contains(configured)) {
            throw new IllegalArgumentException("ModelMemoryMode serves memory.mode auto, longllm"
                    + " or beacon, not " + configured);
        }
        this.model = model;
        this.configured = configured;
        this.localizedReply = localizedReply;
        this.repetitionPenalty = repetitionPenalty;
        this.maxContextTokens = maxContextTokens;
    }

    @Override
    public String name() {
        return configured;
    }

    @Override
    public String fingerprint() {
        return model.fingerprint();
    }

    /** The memory model (also usable as generator.type=memory). */
    public LanguageModel model() {
        return model;
    }

    @Override
    public String recordedName(ModelMemory memory) {
        return memory != null && "beacon".equals(memory.kind()) ? "beacon" : "longllm";
    }

    /** The token ids memorized for {@code text}: context turn + reply, generation prompt on. */
    public int[] contextIds(String text, Prompts prompts) {
        String rendered = model.renderChat(List.of(ChatMessage.user(prompts.context(text)),
                ChatMessage.assistant(prompts.contextReply(localizedReply))), true);
        return model.tokenize(rendered);
    }

    @Override
    public Memorized memorize(String text, Prompts prompts) {
        int[] ids = contextIds(text, prompts);
        if (maxContextTokens > 0 && ids.length > maxContextTokens) {
            throw new MemoragException(ErrorCode.DOCUMENT_TOO_LONG, "the memory prompt has "
                    + ids.length + " tokens, more than memory.max_context_tokens="
                    + maxContextTokens + "; raise it or split the document");
        }
        ModelMemory memory = model.memorize(ids);
        if (configured.equals("beacon") && !"beacon".equals(memory.kind())) {
            memory.close();
            throw new MemoragException(ErrorCode.MODEL_MISMATCH, "memory.mode=beacon but the"
                    + " memory model " + model + " is a plain decoder (memory kind "
                    + memory.kind() + "); set memory.mode=longllm or auto, or point memory.model"
                    + " at a beacon checkpoint");
        }
        return new Memorized(memory, ids.length, 0);
    }

    @Override
    public ModelMemory readMemory(InputStream in) throws IOException {
        return model.readMemory(in);
    }

    @Override
    public MemoryReply ask(ModelMemory memory, String instruction, int maxNewTokens) {
        if (memory == null) {
            throw NoMemory.noMemory();
        }
        String turn = model.renderChat(List.of(ChatMessage.user(instruction)), true);
        int[] ids = model.tokenize(turn);
        int[] out = model.generate(memory, ids, GenerationConfig.greedy(maxNewTokens)
                .withRepetitionPenalty(repetitionPenalty));
        return new MemoryReply(model.detokenize(out), ids.length, out.length);
    }

    /** The model belongs to whoever loaded it (the pipeline shares it with generators). */
    @Override
    public void close() {}
}
