package io.defensebuilders.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.testing.http.RawHttp;

/** Calls through the gateway with an API key, one connection per call, each bounded by a client timeout. */
final class Gateway {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What a call got: an answer (status > 0) or none (status 0: refused, reset or timed out, in {@code error}). */
    record Reply(int status, String contentType, String retryAfter, byte[] body, long millis, String error) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        boolean problem() {
            return contentType != null && contentType.startsWith("application/problem+json");
        }

        JsonNode json() {
            try {
                return body.length == 0 ? JSON.nullNode() : JSON.readTree(body);
            } catch (IOException e) {
                return JSON.nullNode();
            }
        }

        String text() {
            String s = new String(body, StandardCharsets.UTF_8);
            return s.length() > 300 ? s.substring(0, 300) + "..." : s;
        }
    }

    private final RawHttp http;

    /** A client timeout well above every bound the scenarios assert, so that a hang shows as a long call. */
    Gateway(int port) {
        this.http = new RawHttp("127.0.0.1", port, Duration.ofSeconds(20));
    }

    Reply json(String method, String path, String key, String json) {
        return send(method, path, key, json == null ? null : "application/json",
                json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8));
    }

    Reply send(String method, String path, String key, String contentType, byte[] body) {
        RawHttp.Request request = RawHttp.Request.apiCall(method, path, key, contentType, body);
        long start = System.nanoTime();
        try {
            RawHttp.Answer a = http.send(request);
            return new Reply(a.status(), a.header("Content-Type"), a.header("Retry-After"), a.body(),
                    (System.nanoTime() - start) / 1_000_000, null);
        } catch (IOException e) {
            return new Reply(0, null, null, new byte[0], (System.nanoTime() - start) / 1_000_000, e.toString());
        }
    }

    /** A setup call that must succeed: a few tries while the fleet settles. */
    JsonNode must(String method, String path, String key, String json, int... expected) {
        Reply r = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            r = json(method, path, key, json);
            for (int ok : expected) {
                if (r.status() == ok) {
                    return r.json();
                }
            }
            if (r.status() != 0 && r.status() < 500 && r.status() != 429) {
                break;
            }
            Load.sleep(Duration.ofMillis(500L * (attempt + 1)));
        }
        throw new IllegalStateException(method + " " + path + " answered " + r.status() + " " + r.text() + " "
                + (r.error() == null ? "" : r.error()));
    }
}
