package org.memorag.store;

import java.io.IOException;
import java.io.InputStream;
import org.memorag.engine.model.ModelMemory;

/**
 * Turns the bytes of {@code memory.safetensors} back into a memory: the loaded model's
 * {@code LanguageModel.readMemory}, passed in by the caller so the store knows no models.
 */
@FunctionalInterface
public interface MemoryReader {
    ModelMemory read(InputStream in) throws IOException;
}
