package org.memorag.rag.generator;

import java.util.List;
import org.memorag.engine.generate.GenerationConfig;
import org.memorag.engine.model.LanguageModel;
import org.memorag.engine.tokenize.ChatMessage;

/**
 * {@code generator.type=llm}: an in-process engine LLM, as upstream's {@code Model.generate}
 * (§1.10): the prompt as one user turn of the model's chat template with the generation prompt,
 * greedy, no memory, decoded without special tokens.
 */
public final class LlmGenerator implements Generator {
    private final LanguageModel model;
    private final double repetitionPenalty;

    public LlmGenerator(LanguageModel model, double repetitionPenalty) {
        this.model = model;
        this.repetitionPenalty = repetitionPenalty;
    }

    @Override
    public String type() {
        return "llm";
    }

    @Override
    public String fingerprint() {
        return model.fingerprint();
    }

    @Override
    public Generated generate(GenerationRequest request) {
        int[] ids = model.tokenize(model.renderChat(List.of(ChatMessage.user(request.prompt())),
                true));
        int[] out = model.generate(null, ids, GenerationConfig.greedy(request.maxNewTokens())
                .withRepetitionPenalty(repetitionPenalty));
        return new Generated(model.detokenize(out), ids.length, out.length);
    }
}
