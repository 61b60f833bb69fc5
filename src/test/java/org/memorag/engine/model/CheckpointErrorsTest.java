package org.memorag.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.tensor.Device;
import org.memorag.testing.TinyCheckpoint;

/** Every bad model folder fails at load with a message naming the file and the tensor or key. */
class CheckpointErrorsTest {
    static CheckpointException loadFails(Path dir) {
        return assertThrows(CheckpointException.class,
                () -> Decoders.load(dir, Device.cpu()).close());
    }

    static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should mention '" + p + "': "
                    + e.getMessage());
        }
    }

    @Test
    void missingFolderIsNamed(@TempDir Path dir) {
        CheckpointException e = loadFails(dir.resolve("nope"));
        assertMentions(e, "nope", "does not exist");
    }

    @Test
    void missingConfigIsNamed(@TempDir Path dir) throws IOException {
        Path d = TinyCheckpoint.qwen2().writeTo(dir);
        Files.delete(d.resolve("config.json"));
        assertMentions(loadFails(d), "config.json", "missing");
    }

    @Test
    void missingWeightsFileIsNamed(@TempDir Path dir) throws IOException {
        Path d = TinyCheckpoint.qwen2().writeTo(dir);
        Files.delete(d.resolve("model.safetensors"));
        assertMentions(loadFails(d), "model.safetensors", "model.safetensors.index.json");
    }

    @Test
    void missingShardIsNamed(@TempDir Path dir) throws IOException {
        Path d = TinyCheckpoint.llama().sharded(true).writeTo(dir);
        Files.delete(d.resolve("model-00002-of-00002.safetensors"));
        CheckpointException e = loadFails(d);
        assertMentions(e, "model-00002-of-00002.safetensors", "missing", "index.json");
        assertEquals(d.resolve("model-00002-of-00002.safetensors"), e.file());
    }

    @Test
    void unknownModelTypeListsSupportedOnes(@TempDir Path dir) throws IOException {
        Path d = TinyCheckpoint.qwen2().writeTo(dir);
        Path cfg = d.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"qwen2\"", "\"gpt_neox\""));
        assertMentions(loadFails(d), "config.json", "gpt_neox", "qwen2", "llama", "mistral");
    }

    @Test
    void unsupportedRopeScalingIsNamed(@TempDir Path dir) throws IOException {
        Path d = TinyCheckpoint.llama().llama3RopeScaling(8, 1, 4, 64).writeTo(dir);
        Path cfg = d.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"llama3\"", "\"yarn\""));
        assertMentions(loadFails(d), "config.json", "rope_scaling", "yarn", "llama3");
    }

    @Test
    void missingTensorIsNamed(@TempDir Path dir) throws IOException {
        Path d = TinyCheckpoint.qwen2().drop("model.layers.1.self_attn.k_proj.bias").writeTo(dir);
        assertMentions(loadFails(d), "model.safetensors", "missing tensor",
                "model.layers.1.self_attn.k_proj.bias");
    }

    @Test
    void unexpectedTensorIsNamed(@TempDir Path dir) throws IOException {
        Path d = TinyCheckpoint.llama().extra("model.layers.0.self_attn.rotary_extra").writeTo(dir);
        assertMentions(loadFails(d), "model.safetensors", "unexpected tensor",
                "model.layers.0.self_attn.rotary_extra");
    }

    @Test
    void qwen2BiasesInALlamaFolderAreUnexpected(@TempDir Path dir) throws IOException {
        Path d = TinyCheckpoint.qwen2().writeTo(dir);
        Path cfg = d.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"qwen2\"", "\"llama\""));
        assertMentions(loadFails(d), "unexpected tensor", "q_proj.bias");
    }

    @Test
    void misshapedTensorNamesShapesAndConfigKeys(@TempDir Path dir) throws IOException {
        Path d = TinyCheckpoint.mistral().sharded(true)
                .reshape("model.layers.1.self_attn.k_proj.weight", 64, 32).writeTo(dir);
        CheckpointException e = loadFails(d);
        assertMentions(e, "model-0000", "model.layers.1.self_attn.k_proj.weight", "[64, 32]",
                "[16, 32]", "num_key_value_heads=2");
    }

    @Test
    void unsupportedDtypeIsNamed(@TempDir Path dir) throws IOException {
        Path d = TinyCheckpoint.qwen2().storeAs("model.norm.weight", "F64").writeTo(dir);
        assertMentions(loadFails(d), "model.safetensors", "model.norm.weight", "F64",
                "F32, F16 and BF16");
    }

    @Test
    void truncatedFileIsNamed(@TempDir Path dir) throws IOException {
        Path d = TinyCheckpoint.qwen2().writeTo(dir);
        Path f = d.resolve("model.safetensors");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 100));
        assertMentions(loadFails(d), "model.safetensors", "truncated");
    }

    @Test
    void missingTokenizerIsNamed(@TempDir Path dir) throws IOException {
        Path d = TinyCheckpoint.qwen2().writeTo(dir);
        Files.delete(d.resolve("tokenizer.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Decoders.load(d, Device.cpu()).close());
        assertMentions(e, "tokenizer.json", "missing");
    }
}
