package org.memorag.engine.beacon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.model.CheckpointException;
import org.memorag.engine.tensor.Device;
import org.memorag.testing.TinyBeaconCheckpoint;

/** Loading beacon checkpoints: recognition from config.json and clear errors for bad ones. */
class BeaconCheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void missingBeaconWeightsNameTheTensor() throws IOException {
        Path dir = TinyBeaconCheckpoint.qwen2()
                .omit("model.layers.1.self_attn.beacon_k_proj.weight")
                .writeTo(tmp.resolve("k"));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> BeaconCheckpoint.load(dir, Device.cpu(), null));
        assertTrue(e.getMessage().contains("'model.layers.1.self_attn.beacon_k_proj.weight'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("trained beacon weights"), e.getMessage());
        Path noEmbed = TinyBeaconCheckpoint.mistral().omit("model.beacon_embed_tokens.weight")
                .writeTo(tmp.resolve("e"));
        assertTrue(assertThrows(CheckpointException.class,
                () -> BeaconCheckpoint.load(noEmbed, Device.cpu(), null)).getMessage()
                .contains("model.beacon_embed_tokens.weight"));
    }

    @Test
    void unknownOrUnsupportedAttentionPatternIsAConfigError() throws IOException {
        Path bad = TinyBeaconCheckpoint.qwen2().config("beacon_attn", "diagonal")
                .writeTo(tmp.resolve("a"));
        BeaconConfigException e = assertThrows(BeaconConfigException.class,
                () -> BeaconCheckpoint.load(bad, Device.cpu(), null));
        assertEquals("beacon_attn", e.key());
        assertTrue(e.getMessage().startsWith(bad.resolve("config.json").toString()),
                e.getMessage());
        Path seg = TinyBeaconCheckpoint.qwen2().config("beacon_attn", "segmentation")
                .writeTo(tmp.resolve("s"));
        assertTrue(assertThrows(BeaconConfigException.class,
                () -> BeaconCheckpoint.load(seg, Device.cpu(), null)).getMessage()
                .contains("unsupported beacon_attn 'segmentation'"));
    }

    @Test
    void beaconWeightsOutsideBeaconParamAreRejected() throws IOException {
        TinyBeaconCheckpoint t = TinyBeaconCheckpoint.qwen2().param("q", "k", "v");
        Path dir = t.writeTo(tmp.resolve("p"));
        JsonObject cfg = t.configJson();
        cfg.add("beacon_param", new GsonBuilder().create().toJsonTree(List.of("q", "k")));
        Files.writeString(dir.resolve("config.json"), cfg.toString());
        BeaconConfigException e = assertThrows(BeaconConfigException.class,
                () -> BeaconCheckpoint.load(dir, Device.cpu(), null));
        assertEquals("beacon_param", e.key());
        assertTrue(e.getMessage().contains("beacon_v_proj"), e.getMessage());
    }

    @Test
    void aPlainCheckpointIsNotABeaconOneWhateverItsName() throws IOException {
        TinyBeaconCheckpoint t = TinyBeaconCheckpoint.qwen2();
        Path dir = t.writeTo(tmp.resolve("memorag-qwen2-7b-inst"));
        JsonObject cfg = t.configJson();
        for (String k : List.copyOf(cfg.keySet())) {
            if (k.startsWith("beacon_")) {
                cfg.remove(k);
            }
        }
        Files.writeString(dir.resolve("config.json"), cfg.toString());
        BeaconConfigException e = assertThrows(BeaconConfigException.class,
                () -> BeaconCheckpoint.load(dir, Device.cpu(), null));
        assertTrue(e.getMessage().contains("not an activation-beacon memory checkpoint"));
    }

    @Test
    void ratioOverrideIsCheckedAndNamedAsTheFlag() throws IOException {
        Path dir = TinyBeaconCheckpoint.qwen2().window(8).ratios(2, 4).writeTo(tmp.resolve("r"));
        BeaconConfigException e = assertThrows(BeaconConfigException.class,
                () -> BeaconCheckpoint.load(dir, Device.cpu(), 3));
        assertTrue(e.getMessage().startsWith("--beacon-ratio 3: beacon_ratio"), e.getMessage());
        try (BeaconDecoder d = BeaconCheckpoint.load(dir, Device.cpu(), 8)) {
            assertEquals(List.of(8), d.config().ratios());
        }
        try (BeaconDecoder d = BeaconCheckpoint.load(dir, Device.cpu(), 0)) {
            assertEquals(List.of(0), d.config().ratios(), "0 is an explicit value (Q14)");
        }
    }
}
