package org.memorag.rag;

import java.nio.file.Path;
import org.memorag.engine.encode.Encoder;
import org.memorag.engine.model.LanguageModel;
import org.memorag.rag.config.MemoragConfig;

/**
 * Test models: decoder folders (TinyCheckpoint, TinyBeaconCheckpoint) through the production
 * loader ({@link EngineModels}, so beacon detection is the real one), and an encoder chosen by
 * the test (the real BGE-small for anything about meaning).
 */
public final class TinyModels implements ModelProvider {
    private final Encoder encoder;
    private final EngineModels engine;
    public int languageModelsLoaded;

    public TinyModels(Encoder encoder) {
        this(encoder, MemoragConfig.defaults());
    }

    public TinyModels(Encoder encoder, MemoragConfig config) {
        this.encoder = encoder;
        this.engine = new EngineModels(config);
    }

    @Override
    public LanguageModel languageModel(Path dir) {
        languageModelsLoaded++;
        return engine.languageModel(dir);
    }

    @Override
    public Encoder encoder(String dir) {
        return encoder;
    }
}
