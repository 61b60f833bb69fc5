package org.memorag.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.memorag.engine.tensor.Device;

/** config.json rules as transformers resolves them. */
class DecoderConfigTest {
    static final Path FILE = Path.of("config.json");

    static DecoderConfig parse(String json) {
        return DecoderConfig.fromJson(FILE, JsonParser.parseString(json).getAsJsonObject());
    }

    static String base(String type, String extra) {
        return "{\"model_type\":\"" + type + "\",\"hidden_size\":64,\"num_attention_heads\":4,"
                + "\"num_hidden_layers\":4,\"intermediate_size\":10,\"vocab_size\":50" + extra
                + "}";
    }

    @Test
    void qwen2SlidesOnlyWithUseSlidingWindowAndFromMaxWindowLayers() {
        DecoderConfig off = parse(base("qwen2",
                ",\"sliding_window\":8,\"use_sliding_window\":false"));
        assertEquals(OptionalInt.empty(), off.window(3));
        DecoderConfig on = parse(base("qwen2",
                ",\"sliding_window\":8,\"use_sliding_window\":true,\"max_window_layers\":2"));
        assertEquals(OptionalInt.empty(), on.window(1));
        assertEquals(OptionalInt.of(8), on.window(2));
        assertTrue(on.attentionBias(), "qwen2 always has q/k/v biases");
    }

    @Test
    void mistralSlidesEverywhereLlamaNowhere() {
        assertEquals(OptionalInt.of(6), parse(base("mistral", ",\"sliding_window\":6")).window(0));
        assertEquals(OptionalInt.empty(),
                parse(base("mistral", ",\"sliding_window\":null")).window(0));
        assertEquals(OptionalInt.empty(), parse(base("llama", ",\"sliding_window\":6")).window(0));
    }

    @Test
    void defaultsAndListsFollowTransformers() {
        DecoderConfig c = parse(base("llama", ",\"eos_token_id\":[128001,128008,128009],"
                + "\"bos_token_id\":128000,\"head_dim\":32"));
        assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
        assertEquals(128000, c.bosTokenId().getAsInt());
        assertEquals(4, c.numKeyValueHeads(), "num_key_value_heads defaults to the head count");
        assertEquals(32, c.headDim(), "explicit head_dim wins over hidden/heads");
        assertEquals(10000.0, c.ropeTheta());
        assertEquals(16, parse(base("llama", "")).headDim());
    }

    @Test
    void inconsistentHeadsNameConfigJson() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> parse(base("llama", ",\"num_key_value_heads\":3")));
        assertTrue(e.getMessage().contains("config.json")
                && e.getMessage().contains("num_key_value_heads"),
                e.getMessage());
        CheckpointException missing = assertThrows(CheckpointException.class,
                () -> DecoderConfig.fromJson(FILE, new JsonObject()));
        assertTrue(missing.getMessage().contains("model_type"), missing.getMessage());
    }

    @Test
    void deviceSpecsParse() {
        assertEquals(Device.cpu(), Device.parse("cpu"));
        assertEquals(new Device("gpu", 1, "F16"), Device.parse("cuda:1"));
        assertEquals(new Device("gpu", 0, "F32"), Device.parse("gpu/f32"));
        assertThrows(IllegalArgumentException.class, () -> Device.parse("tpu"));
        assertThrows(IllegalArgumentException.class, () -> Device.cpu().withDtype("BF16"));
    }
}
