package io.defensebuilders.aitools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenAI-compatible chat completions endpoint ({@code POST /v1/chat/completions}) on loopback, over real HTTP: it
 * answers with a completion in OpenAI's response shape whose text quotes the first passage's title it was given, or
 * with {@link #failWith} a status; {@link #requests()} keeps each request's Authorization header and body.
 */
final class FakeLanguageModel {

    static final String API_KEY = "sk-test-0123456789abcdef";
    static final String MODEL = "meta/llama-3.1-8b-instruct";

    /** One request: its Authorization header and JSON body. */
    record Request(String authorization, JsonNode body) {
    }

    private static FakeLanguageModel instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile int failWith;

    private FakeLanguageModel() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/chat/completions", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            requests.add(new Request(exchange.getRequestHeaders().getFirst("Authorization"), body));
            byte[] answer;
            int status = failWith;
            if (status != 0) {
                answer = "{\"error\":{\"message\":\"overloaded\"}}".getBytes(StandardCharsets.UTF_8);
            } else {
                String user = body.path("messages").path(1).path("content").asText();
                String first = user.lines().filter(l -> l.startsWith("[1] ")).findFirst().orElse("[1] none");
                status = 200;
                answer = JSON.writeValueAsBytes(Map.of("id", "chatcmpl-1", "object", "chat.completion", "model",
                        body.path("model").asText(), "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                                "message", Map.of("role", "assistant", "content", "From " + first.substring(4) + " [1].")))));
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    static synchronized FakeLanguageModel get() {
        if (instance == null) {
            instance = new FakeLanguageModel();
        }
        return instance;
    }

    /** The base URL an operator would configure (up to /v1). */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    List<Request> requests() {
        return requests;
    }
}
