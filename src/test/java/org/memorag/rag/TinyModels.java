package org.memorag.rag;

import java.nio.file.Path;
import org.memorag.engine.encode.Encoder;
import org.memorag.engine.model.Decoders;
import org.memorag.engine.model.LanguageModel;
import org.memorag.engine.tensor.Device;

/**
 * Test models: the engine's real loader for decoder folders (TinyCheckpoint), and an encoder
 * chosen by the test (the real BGE-small for anything about meaning).
 */
public final class TinyModels implements ModelProvider {
    private final Encoder encoder;
    public int languageModelsLoaded;

    public TinyModels(Encoder encoder) {
        this.encoder = encoder;
    }

    @Override
    public LanguageModel languageModel(Path dir) {
        languageModelsLoaded++;
        return Decoders.load(dir, Device.cpu());
    }

    @Override
    public Encoder encoder(String dir) {
        return encoder;
    }
}
