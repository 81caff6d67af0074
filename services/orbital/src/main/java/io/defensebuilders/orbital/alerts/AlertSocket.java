package io.defensebuilders.orbital.alerts;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.defensebuilders.platform.auth.TenantContext;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/v1/orbital/alerts}: a WebSocket stream of maneuver, conjunction and CCDM alerts for the objects the
 * client names — {@code ?objects=25544,43013&kinds=maneuver,ccdm} on connect, then
 * {@code {"action": "subscribe"|"unsubscribe", "objects": [...]}} messages. The upgrade needs the gateway's token like
 * any other call. A bad request is answered with {@code {"error": {...problem...}}} and, on connect, close code 1008.
 */
@WebSocket(path = "/api/v1/orbital/alerts")
@Authenticated
public class AlertSocket {

    /** Most objects one connection follows. */
    static final int MAX_OBJECTS = 1000;

    private final AlertHub hub;
    private final ObjectMapper json;
    private final SecurityIdentity identity;

    public AlertSocket(AlertHub hub, ObjectMapper json, SecurityIdentity identity) {
        this.hub = hub;
        this.json = json;
        this.identity = identity;
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        String tenant = TenantContext.callerOf(identity).tenant();
        List<Integer> objects;
        Set<AlertHub.Kind> kinds;
        try {
            String query = connection.handshakeRequest().query();
            objects = ids(param(query, "objects"), "objects");
            if (objects.size() > MAX_OBJECTS) {
                throw new IllegalArgumentException("objects: at most " + MAX_OBJECTS + " NORAD ids per connection");
            }
            kinds = kinds(param(query, "kinds"));
        } catch (IllegalArgumentException e) {
            return connection.sendText(error(e.getMessage()))
                    .chain(() -> connection.close(new CloseReason(1008, "bad request")));
        }
        hub.open(connection, tenant, kinds, objects);
        ObjectNode hello = json.createObjectNode();
        hello.set("subscribed", json.valueToTree(new java.util.TreeSet<>(objects)));
        hello.set("kinds", json.valueToTree(kinds));
        return connection.sendText(hello.toString());
    }

    @OnTextMessage
    public String message(WebSocketConnection connection, String text) {
        try {
            JsonNode m;
            try {
                m = json.readTree(text);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("not JSON: send {\"action\": \"subscribe\", \"objects\": [25544]}");
            }
            String action = m.path("action").asText("");
            List<Integer> objects = new ArrayList<>();
            JsonNode list = m.path("objects");
            if (!list.isArray()) {
                throw new IllegalArgumentException("objects: must be an array of NORAD ids");
            }
            for (JsonNode n : list) {
                objects.add(id(n.asText(), "objects"));
            }
            Set<Integer> now = switch (action) {
                case "subscribe" -> hub.change(connection, objects, List.of(), MAX_OBJECTS);
                case "unsubscribe" -> hub.change(connection, List.of(), objects, MAX_OBJECTS);
                default -> throw new IllegalArgumentException("action: must be subscribe or unsubscribe");
            };
            ObjectNode reply = json.createObjectNode();
            reply.set("subscribed", json.valueToTree(new java.util.TreeSet<>(now)));
            return reply.toString();
        } catch (IllegalArgumentException e) {
            return error(e.getMessage());
        }
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        hub.close(connection);
    }

    /** A problem+json body (RFC 9457) inside {@code {"error": ...}}. */
    private String error(String detail) {
        ObjectNode problem = json.createObjectNode();
        problem.put("type", "https://defensebuilders.io/problems/invalid-request");
        problem.put("title", "Bad Request");
        problem.put("status", 400);
        problem.put("detail", detail);
        ObjectNode out = json.createObjectNode();
        out.set("error", problem);
        return out.toString();
    }

    static String param(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            if (key.equals(name)) {
                return java.net.URLDecoder.decode(eq < 0 ? "" : part.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static List<Integer> ids(String text, String field) {
        List<Integer> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        Set<Integer> seen = new LinkedHashSet<>();
        for (String s : text.split(",")) {
            if (!s.isBlank()) {
                seen.add(id(s.trim(), field));
            }
        }
        out.addAll(seen);
        return out;
    }

    static int id(String s, String field) {
        try {
            int id = Integer.parseInt(s.trim());
            if (id >= 1 && id <= 339999) {
                return id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(field + ": '" + s + "' is not a NORAD id (1 to 339999)");
    }

    static Set<AlertHub.Kind> kinds(String text) {
        if (text == null || text.isBlank()) {
            return EnumSet.allOf(AlertHub.Kind.class);
        }
        Set<AlertHub.Kind> out = EnumSet.noneOf(AlertHub.Kind.class);
        for (String s : text.split(",")) {
            try {
                out.add(AlertHub.Kind.valueOf(s.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kinds: '" + s.trim() + "' is not maneuver, conjunction or ccdm");
            }
        }
        return out;
    }
}
