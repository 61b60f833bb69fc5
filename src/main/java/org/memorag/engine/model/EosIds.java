package org.memorag.engine.model;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The ids that end generation for a model folder: config.json's eos_token_id plus those of
 * generation_config.json (Qwen2-Instruct lists both im_end and endoftext there).
 */
public final class EosIds {
    public static final String GENERATION_CONFIG = "generation_config.json";

    private EosIds() {}

    public static Set<Integer> of(Path dir, DecoderConfig config) {
        Set<Integer> eos = new LinkedHashSet<>(config.eosTokenIds());
        Path gen = dir.resolve(GENERATION_CONFIG);
        if (Files.isRegularFile(gen)) {
            try {
                JsonObject g = JsonParser.parseString(Files.readString(gen)).getAsJsonObject();
                eos.addAll(DecoderConfig.ids(g, "eos_token_id"));
            } catch (IOException | RuntimeException e) {
                throw new CheckpointException(gen, "cannot read as a JSON object: "
                        + e.getMessage(), e);
            }
        }
        return Set.copyOf(eos);
    }
}
