package org.memorag.rag.memory;

import java.io.IOException;
import java.io.InputStream;
import org.memorag.engine.model.ModelMemory;
import org.memorag.rag.ErrorCode;
import org.memorag.rag.MemoragException;
import org.memorag.rag.prompt.Prompts;

/** {@code memory.mode=none}: standard RAG, no memory; asking the memory is an error. */
public final class NoMemory implements MemoryMode {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public String fingerprint() {
        return "none";
    }

    @Override
    public boolean hasMemory() {
        return false;
    }

    @Override
    public Memorized memorize(String text, Prompts prompts) {
        return new Memorized(null, 0, 0);
    }

    @Override
    public ModelMemory readMemory(InputStream in) throws IOException {
        throw new MemoragException(ErrorCode.NO_MEMORY, "memory.mode=none cannot read a stored"
                + " memory; set memory.mode and memory.model to the ones it was memorized with");
    }

    @Override
    public MemoryReply ask(ModelMemory memory, String instruction, int maxNewTokens) {
        throw noMemory();
    }

    static MemoragException noMemory() {
        return new MemoragException(ErrorCode.NO_MEMORY, "this document was memorized without a"
                + " memory (memory.mode=none); use task rag, or set memory.model and memorize"
                + " it again");
    }

    @Override
    public void close() {}
}
