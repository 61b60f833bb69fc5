package org.memorag.rag;

import java.nio.file.Path;
import org.memorag.engine.encode.BgeSmallEnV15;
import org.memorag.engine.encode.Encoder;
import org.memorag.engine.encode.EncoderOptions;
import org.memorag.engine.encode.OnnxEncoder;
import org.memorag.engine.model.Decoders;
import org.memorag.engine.model.LanguageModel;
import org.memorag.engine.tensor.Device;
import org.memorag.rag.config.ConfigKeys;
import org.memorag.rag.config.MemoragConfig;

/**
 * The production {@link ModelProvider}: decoders from Hugging Face folders with the engine on
 * {@code device}, and the embedder from an ONNX folder or, by default, the BGE-small-en-v1.5
 * shipped in the jar (the embedded CPU setup, no download).
 */
public final class EngineModels implements ModelProvider {
    private final Device device;
    private final int threads;

    public EngineModels(MemoragConfig config) {
        try {
            this.device = Device.parse(config.get(ConfigKeys.DEVICE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config key 'device': " + e.getMessage(), e);
        }
        this.threads = config.get(ConfigKeys.THREADS);
    }

    @Override
    public LanguageModel languageModel(Path dir) {
        return Decoders.load(dir, device);
    }

    @Override
    public Encoder encoder(String dir) {
        EncoderOptions options = threads > 0 ? EncoderOptions.defaults().withThreads(threads, 1)
                : EncoderOptions.defaults();
        if (dir.isEmpty()) {
            return BgeSmallEnV15.load(BgeSmallEnV15.defaultCacheDir(), options);
        }
        return OnnxEncoder.fromModelDir(Path.of(dir), options);
    }
}
