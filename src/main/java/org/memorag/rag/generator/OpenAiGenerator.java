package org.memorag.rag.generator;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.memorag.rag.config.ConfigKeys;
import org.memorag.rag.config.MemoragConfig;

/** {@code generator.type=openai}: the final prompt sent to an OpenAI-compatible endpoint. */
public final class OpenAiGenerator implements Generator {
    private final OpenAiChatClient client;

    public OpenAiGenerator(OpenAiChatClient client) {
        this.client = client;
    }

    /** Builds the client from {@code generator.api.*}; {@code env} looks up the token variable. */
    public static OpenAiGenerator fromConfig(MemoragConfig c, UnaryOperator<String> env) {
        String tokenEnv = c.get(ConfigKeys.GENERATOR_API_TOKEN_ENV);
        String token = tokenEnv.isEmpty() ? null : env.apply(tokenEnv);
        return new OpenAiGenerator(new OpenAiChatClient(c.get(ConfigKeys.GENERATOR_API_BASE_URL),
                c.get(ConfigKeys.GENERATOR_API_MODEL), token, tokenEnv,
                Duration.ofSeconds(c.get(ConfigKeys.GENERATOR_API_TIMEOUT_S)),
                c.get(ConfigKeys.GENERATOR_API_RETRIES), c.get(ConfigKeys.GENERATOR_API_BACKOFF_MS),
                c.get(ConfigKeys.GENERATOR_API_TEMPERATURE)));
    }

    @Override
    public String type() {
        return "openai";
    }

    @Override
    public String fingerprint() {
        return "openai:" + client.model() + "@" + client.endpoint();
    }

    @Override
    public Generated generate(GenerationRequest request) {
        return client.complete(request.prompt(), request.maxNewTokens());
    }
}
