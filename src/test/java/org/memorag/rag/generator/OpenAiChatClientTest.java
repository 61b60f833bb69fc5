package org.memorag.rag.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.memorag.rag.ErrorCode;
import org.memorag.rag.MemoragException;
import org.memorag.rag.config.MemoragConfig;

/** The chat-completions client against a real HTTP server on 127.0.0.1. */
@Timeout(30)
class OpenAiChatClientTest {
    private static final String TOKEN = "test-token-6f1c";
    private static final String OK_BODY = "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":"
            + "{\"role\":\"assistant\",\"content\":\"Paris.\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2}}";

    private HttpServer server;
    private ExecutorService pool;
    private final List<JsonObject> bodies = new CopyOnWriteArrayList<>();
    private final List<String> auths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pool = Executors.newCachedThreadPool();
        server.setExecutor(pool);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        pool.shutdownNow();
    }

    private String base(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void route(String path, Responder r) {
        server.createContext(path + "/chat/completions", ex -> {
            bodies.add(JsonParser.parseString(new String(ex.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8)).getAsJsonObject());
            auths.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            r.respond(ex);
        });
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private OpenAiChatClient client(String path, int retries, Duration timeout) {
        return new OpenAiChatClient(base(path), "tiny-chat", TOKEN, "MY_TOKEN_ENV", timeout,
                retries, 10, 0.0);
    }

    @Test
    void successReturnsContentAndUsageAndSendsTheRequestOpenAiExpects() {
        route("/v1", ex -> send(ex, 200, OK_BODY));
        Generated g = client("/v1/", 0, Duration.ofSeconds(5)).complete("Capital of France?", 17);
        assertEquals(new Generated("Paris.", 12, 2), g);
        JsonObject body = bodies.get(0);
        assertEquals("tiny-chat", body.get("model").getAsString());
        assertEquals(17, body.get("max_tokens").getAsInt());
        assertEquals(0.0, body.get("temperature").getAsDouble());
        JsonObject msg = body.getAsJsonArray("messages").get(0).getAsJsonObject();
        assertEquals("user", msg.get("role").getAsString());
        assertEquals("Capital of France?", msg.get("content").getAsString());
        assertEquals("Bearer " + TOKEN, auths.get(0));
    }

    @Test
    void serverErrorIsRetriedThenSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        route("/v1", ex -> {
            if (calls.getAndIncrement() == 0) {
                send(ex, 500, "{\"error\":\"overloaded\"}");
            } else {
                send(ex, 200, OK_BODY);
            }
        });
        assertEquals("Paris.", client("/v1", 2, Duration.ofSeconds(5)).complete("q", 8).text());
        assertEquals(2, calls.get());
    }

    @Test
    void unauthorizedFailsAtOnceNamingStatusEndpointBodyAndTheEnvVariable() {
        route("/v1", ex -> send(ex, 401, "{\"error\":{\"message\":\"Incorrect API key\"}}"));
        MemoragException e = assertThrows(MemoragException.class,
                () -> client("/v1", 3, Duration.ofSeconds(5)).complete("q", 8));
        assertEquals(ErrorCode.GENERATOR_FAILED, e.code());
        String m = e.getMessage();
        assertTrue(m.contains("401") && m.contains(base("/v1/chat/completions"))
                && m.contains("Incorrect API key") && m.contains("MY_TOKEN_ENV"), m);
        assertFalse(m.contains(TOKEN), "the token never appears in a message");
        assertEquals(1, bodies.size(), "a 401 is not retried");
    }

    @Test
    void timeoutIsRetriedAndThenReported() {
        AtomicInteger calls = new AtomicInteger();
        route("/slow", ex -> {
            calls.incrementAndGet();
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(ex, 200, OK_BODY);
        });
        MemoragException e = assertThrows(MemoragException.class,
                () -> client("/slow", 1, Duration.ofMillis(300)).complete("q", 8));
        assertTrue(e.getMessage().contains("timed out after 300 ms")
                && e.getMessage().contains("2 attempts"), e.getMessage());
        assertEquals(2, calls.get());
    }

    @Test
    void exhaustedRetriesOnTooManyRequestsSayHowManyAttempts() {
        route("/v1", ex -> send(ex, 429, "{\"error\":\"rate limited\"}"));
        MemoragException e = assertThrows(MemoragException.class,
                () -> client("/v1", 2, Duration.ofSeconds(5)).complete("q", 8));
        assertTrue(e.getMessage().contains("429") && e.getMessage().contains("3 attempts")
                && e.getMessage().contains("rate limited"), e.getMessage());
        assertEquals(3, bodies.size());
    }

    @Test
    void connectionRefusedIsAnIoErrorNamingTheEndpoint() {
        int port = server.getAddress().getPort();
        server.stop(0);
        OpenAiChatClient c = new OpenAiChatClient("http://127.0.0.1:" + port + "/v1", "m", null,
                "X", Duration.ofSeconds(2), 1, 10, 0.0);
        MemoragException e = assertThrows(MemoragException.class, () -> c.complete("q", 8));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port) && e.getMessage()
                .contains("ConnectException"), e.getMessage());
    }

    @Test
    void generatorReadsTheTokenFromTheNamedEnvironmentVariable() {
        route("/v1", ex -> send(ex, 200, OK_BODY));
        MemoragConfig c = MemoragConfig.builder().set("generator.type", "openai")
                .set("generator.api.base_url", base("/v1")).set("generator.api.model", "m")
                .set("generator.api.token_env", "ANSWER_TOKEN").build();
        Map<String, String> env = Map.of("ANSWER_TOKEN", "from-env");
        OpenAiGenerator g = OpenAiGenerator.fromConfig(c, env::get);
        assertEquals("Paris.", g.generate(new GenerationRequest("p", "q", List.of(), 4, null))
                .text());
        assertEquals("Bearer from-env", auths.get(0));
    }

    @Test
    void missingBaseUrlNamesTheKey() {
        MemoragException e = assertThrows(MemoragException.class,
                () -> OpenAiGenerator.fromConfig(MemoragConfig.defaults(), k -> null));
        assertEquals(ErrorCode.MODEL_NOT_CONFIGURED, e.code());
        assertTrue(e.getMessage().contains("generator.api.base_url"), e.getMessage());
    }

    @FunctionalInterface
    interface Responder {
        void respond(HttpExchange ex) throws IOException;
    }
}
