package org.memorag.rag.generator;

import org.memorag.rag.memory.MemoryMode;
import org.memorag.rag.memory.MemoryReply;

/**
 * {@code generator.type=memory}: the memory model writes the final answer, its prompt (with the
 * evidence) continuing the document's memory like a question (§1.10, Q11). Upstream does this
 * for beacon memories; we do it for every memory mode, so longllm and lite answers also see the
 * memory. A document without a memory is an error (NO_MEMORY).
 */
public final class MemoryGenerator implements Generator {
    private final MemoryMode memory;

    public MemoryGenerator(MemoryMode memory) {
        this.memory = memory;
    }

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public String fingerprint() {
        return memory.fingerprint();
    }

    @Override
    public Generated generate(GenerationRequest request) {
        MemoryReply r = memory.generate(request.memory(), request.prompt(),
                request.maxNewTokens());
        return new Generated(r.text(), r.promptTokens(), r.newTokens());
    }
}
