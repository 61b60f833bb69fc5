package org.memorag.engine.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * Sampling defaults a checkpoint ships in {@code generation_config.json}. MemoRAG's memory-model
 * calls inherit them upstream (BEACON_SPEC Q34: repetition_penalty), so the pipeline reads the
 * penalty from here unless it is configured.
 */
public final class GenerationConfigFile {
    private GenerationConfigFile() {}

    /** The folder's {@code repetition_penalty}, empty when the file or the key is absent. */
    public static OptionalDouble repetitionPenalty(Path dir) {
        Path file = dir.resolve(EosIds.GENERATION_CONFIG);
        if (!Files.isRegularFile(file)) {
            return OptionalDouble.empty();
        }
        JsonObject g;
        try {
            g = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, "cannot read as a JSON object: " + e.getMessage(),
                    e);
        }
        JsonElement p = g.get("repetition_penalty");
        if (p == null || p.isJsonNull()) {
            return OptionalDouble.empty();
        }
        double v;
        try {
            v = p.getAsDouble();
        } catch (RuntimeException e) {
            throw new CheckpointException(file, "repetition_penalty is not a number: " + p, e);
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new CheckpointException(file, "repetition_penalty must be a positive number,"
                    + " got " + v);
        }
        return OptionalDouble.of(v);
    }
}
