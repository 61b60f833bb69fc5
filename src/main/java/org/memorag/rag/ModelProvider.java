package org.memorag.rag;

import java.nio.file.Path;
import org.memorag.engine.encode.Encoder;
import org.memorag.engine.model.LanguageModel;

/**
 * Loads the models a pipeline needs, once each: the production one reads Hugging Face folders
 * with the engine ({@link EngineModels}); tests may pass their own. The pipeline owns what it
 * gets and closes it.
 */
public interface ModelProvider {
    /** A causal LM (plain decoder or beacon checkpoint) from a Hugging Face folder. */
    LanguageModel languageModel(Path dir);

    /** The embedder: {@code dir} empty = the embedded BGE-small-en-v1.5 from the jar. */
    Encoder encoder(String dir);
}
