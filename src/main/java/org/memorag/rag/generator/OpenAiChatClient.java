package org.memorag.rag.generator;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.memorag.rag.ErrorCode;
import org.memorag.rag.MemoragException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of an OpenAI-compatible {@code POST <base>/chat/completions} endpoint (OpenAI, vLLM,
 * TGI, llama.cpp server): one user message, explicit {@code max_tokens}, a timeout per request,
 * retries with exponential backoff on 429, 5xx and I/O errors, and errors that say which endpoint
 * answered what. The token is sent as a Bearer header and never appears in messages or logs.
 * Thread-safe.
 */
public final class OpenAiChatClient {
    private static final Logger log = LoggerFactory.getLogger(OpenAiChatClient.class);
    private static final int BODY_EXCERPT = 300;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final URI endpoint;
    private final String model;
    private final String token;
    private final String tokenEnv;
    private final Duration timeout;
    private final int retries;
    private final long backoffMs;
    private final double temperature;
    private final HttpClient http;

    /**
     * @param baseUrl  e.g. {@code http://127.0.0.1:8000/v1}
     * @param token    the API token, or null to send none
     * @param tokenEnv the environment variable the token came from (for messages only)
     */
    public OpenAiChatClient(String baseUrl, String model, String token, String tokenEnv,
            Duration timeout, int retries, long backoffMs, double temperature) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new MemoragException(ErrorCode.MODEL_NOT_CONFIGURED, "generator.type=openai"
                    + " needs an endpoint; set generator.api.base_url (e.g. http://host:8000/v1)");
        }
        if (model == null || model.isBlank()) {
            throw new MemoragException(ErrorCode.MODEL_NOT_CONFIGURED, "generator.type=openai"
                    + " needs a model name; set generator.api.model");
        }
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1)
                : baseUrl;
        try {
            this.endpoint = URI.create(base + "/chat/completions");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("generator.api.base_url '" + baseUrl
                    + "' is not a URL", e);
        }
        if (endpoint.getScheme() == null || !endpoint.getScheme().startsWith("http")) {
            throw new IllegalArgumentException("generator.api.base_url '" + baseUrl
                    + "' must start with http:// or https://");
        }
        if (retries < 0 || backoffMs < 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("generator.api: retries " + retries
                    + ", backoff_ms " + backoffMs + " and timeout " + timeout
                    + " must be >= 0, >= 0 and > 0");
        }
        this.model = model;
        this.token = token == null || token.isEmpty() ? null : token;
        this.tokenEnv = Objects.requireNonNullElse(tokenEnv, "");
        this.timeout = timeout;
        this.retries = retries;
        this.backoffMs = backoffMs;
        this.temperature = temperature;
        this.http = HttpClient.newBuilder().connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    public URI endpoint() {
        return endpoint;
    }

    public String model() {
        return model;
    }

    /** Sends {@code prompt} as one user message; returns the first choice's content. */
    public Generated complete(String prompt, int maxTokens) {
        JsonObject body = new JsonObject();
        body.addProperty("model", model);
        JsonArray messages = new JsonArray();
        JsonObject user = new JsonObject();
        user.addProperty("role", "user");
        user.addProperty("content", prompt);
        messages.add(user);
        body.add("messages", messages);
        body.addProperty("max_tokens", maxTokens);
        body.addProperty("temperature", temperature);
        HttpRequest.Builder req = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = req.build();
        String lastProblem = "";
        for (int attempt = 0; attempt <= retries; attempt++) {
            long waitMs = Math.min(MAX_BACKOFF_MS, backoffMs << Math.min(attempt, 20));
            try {
                HttpResponse<String> resp = http.send(request,
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = resp.statusCode();
                if (status / 100 == 2) {
                    return parse(resp.body());
                }
                lastProblem = "returned HTTP " + status + ": " + excerpt(resp.body());
                if (status != 429 && status / 100 != 5) {
                    throw failed(lastProblem + hint(status), null);
                }
                Optional<String> retryAfter = resp.headers().firstValue("Retry-After");
                if (retryAfter.isPresent() && retryAfter.get().matches("\\d{1,4}")) {
                    waitMs = Math.min(MAX_BACKOFF_MS,
                            Math.max(waitMs, Long.parseLong(retryAfter.get()) * 1000));
                }
            } catch (HttpTimeoutException e) {
                lastProblem = "timed out after " + timeout.toMillis() + " ms"
                        + " (generator.api.timeout_s)";
            } catch (IOException e) {
                lastProblem = "failed with " + e.getClass().getSimpleName() + ": "
                        + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failed("was interrupted", e);
            }
            if (attempt < retries) {
                log.warn("generator endpoint={} attempt={} {}; retrying in {} ms", endpoint,
                        attempt + 1, lastProblem, waitMs);
                sleep(waitMs);
            }
        }
        throw failed(lastProblem + " (" + (retries + 1) + " attempts; generator.api.retries="
                + retries + ")", null);
    }

    private Generated parse(String body) {
        try {
            JsonObject o = JsonParser.parseString(body).getAsJsonObject();
            JsonObject msg = o.getAsJsonArray("choices").get(0).getAsJsonObject()
                    .getAsJsonObject("message");
            JsonElement content = msg.get("content");
            String text = content == null || content.isJsonNull() ? "" : content.getAsString();
            int in = 0;
            int out = 0;
            JsonObject usage = o.has("usage") && o.get("usage").isJsonObject()
                    ? o.getAsJsonObject("usage") : null;
            if (usage != null) {
                in = usage.has("prompt_tokens") ? usage.get("prompt_tokens").getAsInt() : 0;
                out = usage.has("completion_tokens") ? usage.get("completion_tokens").getAsInt()
                        : 0;
            }
            return new Generated(text, in, out);
        } catch (RuntimeException e) {
            throw failed("answered 200 with a body that is not a chat completion ("
                    + e.getMessage() + "): " + excerpt(body), e);
        }
    }

    private String hint(int status) {
        if (status == 401 || status == 403) {
            return token == null ? "; no token was sent: put it in the environment variable "
                    + tokenEnv + " (generator.api.token_env)"
                    : "; check the token in the environment variable " + tokenEnv;
        }
        if (status == 404) {
            return "; check generator.api.base_url (it should end before /chat/completions)"
                    + " and generator.api.model";
        }
        return "";
    }

    private MemoragException failed(String what, Throwable cause) {
        return new MemoragException(ErrorCode.GENERATOR_FAILED, "POST " + endpoint + " (model "
                + model + ") " + what, cause);
    }

    private static String excerpt(String body) {
        String b = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return b.length() <= BODY_EXCERPT ? b : b.substring(0, BODY_EXCERPT) + "...";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MemoragException(ErrorCode.GENERATOR_FAILED, "interrupted while waiting"
                    + " to retry", e);
        }
    }
}
