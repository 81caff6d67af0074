package io.defensebuilders.gateway;

import static io.restassured.RestAssured.given;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.defensebuilders.testing.http.RawHttp;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Test client: requests with an API key, and setup through the gateway's own API with the bootstrap key. */
public final class Gw {

    private static String bootstrapKey;

    private Gw() {
    }

    /** The bootstrap platform-admin key the gateway created on its first start and wrote to the key file. */
    public static synchronized String bootstrapKey() {
        if (bootstrapKey == null) {
            try {
                bootstrapKey = Files.readString(Path.of("target/bootstrap-api-key")).trim();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("the gateway wrote no bootstrap key", e);
            }
        }
        return bootstrapKey;
    }

    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    public static RequestSpecification admin() {
        return as(bootstrapKey());
    }

    public static String newTenant(String plan) {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(plan == null ? Map.of("id", id, "name", "Tenant " + id)
                : Map.of("id", id, "name", "Tenant " + id, "plan", plan))
                .post("/api/v1/tenants").then().statusCode(201);
        return id;
    }

    /**
     * A request written by hand to the gateway from the loopback address {@code from} (another client as the gateway
     * sees it: 127.0.0.2, ...), with exactly these headers (name, value, name, value, ...; no Host unless given).
     */
    public static RawHttp.Answer raw(String from, String method, String path, byte[] body, String... headers)
            throws java.io.IOException {
        List<Map.Entry<String, String>> list = new java.util.ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            list.add(Map.entry(headers[i], headers[i + 1]));
        }
        list.add(Map.entry("Connection", "close"));
        return new RawHttp("127.0.0.1", io.restassured.RestAssured.port, java.time.Duration.ofSeconds(10), from)
                .send(new RawHttp.Request(method, path, list, body));
    }

    /** {@code bytes} of chunked body in 64 KiB chunks, without the last (empty) chunk: a body that never ends. */
    public static byte[] unfinishedChunks(int bytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        for (int sent = 0; sent < bytes; sent += chunk.length) {
            out.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.writeBytes(chunk);
            out.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** A new API key of {@code tenant} with {@code roles}; returns the full secret. */
    public static String key(String tenant, String... roles) {
        return admin().body(Map.of("name", "test key", "roles", List.of(roles), "tenant", tenant))
                .post("/api/v1/api-keys").then().statusCode(201).extract().path("secret");
    }
}
