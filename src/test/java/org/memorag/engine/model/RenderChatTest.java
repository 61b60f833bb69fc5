package org.memorag.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.beacon.BeaconLanguageModel;
import org.memorag.engine.tensor.Device;
import org.memorag.engine.tokenize.ChatMessage;
import org.memorag.engine.tokenize.ChatTemplateException;
import org.memorag.testing.TinyBeaconCheckpoint;
import org.memorag.testing.TinyCheckpoint;
import org.memorag.testing.TinyTokenizer;

/** Both LanguageModels render conversations with the folder's own tokenizer_config.json template. */
class RenderChatTest {
    private static final List<ChatMessage> TURNS = List.of(ChatMessage.user("w1 w2"),
            ChatMessage.assistant("w3"));
    private static final String EXPECTED = "<|im_start|>user\nw1 w2<|im_end|>\n"
            + "<|im_start|>assistant\nw3<|im_end|>\n<|im_start|>assistant\n";

    @Test
    void plainDecoderRendersItsChatMlTemplate(@TempDir Path dir) throws IOException {
        Path ckpt = TinyCheckpoint.qwen2().writeTo(dir);
        try (DecoderLanguageModel lm = Decoders.load(ckpt, Device.cpu())) {
            assertEquals(EXPECTED, lm.renderChat(TURNS, true));
            assertEquals(EXPECTED.substring(0, EXPECTED.lastIndexOf("<|im_start|>")),
                    lm.renderChat(TURNS, false));
        }
    }

    @Test
    void beaconModelRendersItsChatMlTemplate(@TempDir Path dir) throws IOException {
        Path ckpt = TinyBeaconCheckpoint.qwen2().withTokenizer().writeTo(dir);
        try (BeaconLanguageModel lm = BeaconLanguageModel.load(ckpt, Device.cpu(), null, 0)) {
            assertEquals(EXPECTED, lm.renderChat(TURNS, true));
        }
    }

    @Test
    void aFolderWithoutTemplateLoadsButCannotRender(@TempDir Path dir) throws IOException {
        Path ckpt = TinyCheckpoint.qwen2().writeTo(dir);
        String config = Files.readString(ckpt.resolve("tokenizer_config.json"));
        assertTrue(config.contains("chat_template"), "fixture has a template to remove");
        Files.writeString(ckpt.resolve("tokenizer_config.json"),
                config.replace("\"chat_template\"", "\"unused_template\""));
        try (DecoderLanguageModel lm = Decoders.load(ckpt, Device.cpu())) {
            ChatTemplateException e = assertThrows(ChatTemplateException.class,
                    () -> lm.renderChat(TURNS, true));
            assertTrue(e.getMessage().contains("tokenizer_config.json"), e.getMessage());
            assertEquals(1, lm.tokenize(TinyTokenizer.word(5)).length);
        }
    }
}
