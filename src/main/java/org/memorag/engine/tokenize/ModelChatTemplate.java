package org.memorag.engine.tokenize;

import java.nio.file.Path;
import java.util.List;

/**
 * The chat template of a model folder, read on first use: a checkpoint without a template still
 * loads and runs on token ids, and only rendering a conversation fails (with ChatTemplate's
 * message naming tokenizer_config.json).
 */
public final class ModelChatTemplate {
    private final Path modelDir;
    private volatile ChatTemplate template;

    public ModelChatTemplate(Path modelDir) {
        this.modelDir = modelDir;
    }

    /** Renders like transformers' apply_chat_template(messages, tokenize=False, ...). */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        ChatTemplate t = template;
        if (t == null) {
            synchronized (this) {
                t = template;
                if (t == null) {
                    t = ChatTemplate.fromModelDir(modelDir);
                    template = t;
                }
            }
        }
        return t.render(messages, addGenerationPrompt);
    }
}
