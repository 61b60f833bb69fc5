package org.memorag.rag;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.memorag.engine.beacon.BeaconCheckpoint;
import org.memorag.engine.beacon.BeaconLanguageModel;
import org.memorag.engine.encode.BgeSmallEnV15;
import org.memorag.engine.encode.Encoders;
import org.memorag.engine.encode.Encoder;
import org.memorag.engine.encode.EncoderOptions;
import org.memorag.engine.model.Decoders;
import org.memorag.engine.model.LanguageModel;
import org.memorag.engine.tensor.Device;
import org.memorag.rag.config.ConfigKeys;
import org.memorag.rag.config.MemoragConfig;

/**
 * The production {@link ModelProvider}: a decoder folder becomes a beacon model when its
 * config.json has the beacon keys (BEACON_SPEC.md §2.3; run at {@code memory.beacon_ratio} under
 * {@code memory.budget_mb}), else a plain engine decoder — never decided by the folder's name.
 * The embedder comes from an ONNX folder or, by default, the BGE-small-en-v1.5 in the jar.
 */
public final class EngineModels implements ModelProvider {
    private final Device device;
    private final int threads;
    private final int beaconRatio;
    private final long budgetBytes;

    public EngineModels(MemoragConfig config) {
        try {
            this.device = Device.parse(config.get(ConfigKeys.DEVICE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config key 'device': " + e.getMessage(), e);
        }
        this.threads = config.get(ConfigKeys.THREADS);
        this.beaconRatio = config.get(ConfigKeys.MEMORY_BEACON_RATIO);
        this.budgetBytes = config.get(ConfigKeys.MEMORY_BUDGET_MB) * 1024L * 1024L;
    }

    @Override
    public LanguageModel languageModel(Path dir) {
        if (BeaconCheckpoint.isBeacon(configJson(dir))) {
            return BeaconLanguageModel.load(dir, device, beaconRatio, budgetBytes);
        }
        return Decoders.load(dir, device);
    }

    @Override
    public Encoder encoder(String dir) {
        EncoderOptions options = threads > 0 ? EncoderOptions.defaults().withThreads(threads, 1)
                : EncoderOptions.defaults();
        // empty = the embedded BGE-small; a folder holds an ONNX export or BERT/XLM-R safetensors
        return Encoders.load(dir.isEmpty() ? Encoders.EMBEDDED : dir, device, options,
                BgeSmallEnV15.defaultCacheDir());
    }

    private static JsonObject configJson(Path dir) {
        Path file = dir.resolve("config.json");
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new MemoragException(ErrorCode.MODEL_NOT_CONFIGURED, file + " does not exist;"
                    + " a model folder needs the Hugging Face config.json");
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
