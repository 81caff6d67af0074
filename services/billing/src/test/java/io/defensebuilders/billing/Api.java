package io.defensebuilders.billing;

import static io.restassured.RestAssured.given;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.defensebuilders.testing.quarkus.TestClient;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;

/** Test client: a caller of one tenant with given roles, minting the internal JWT the gateway would. */
public record Api(String tenant, String subject, String... roles) implements TestClient {

    public static Api viewer(String tenant) {
        return new Api(tenant, "viewer-" + tenant, "viewer");
    }

    public static Api admin(String tenant) {
        return new Api(tenant, "admin-" + tenant, "admin");
    }

    public static Api platformAdmin() {
        return new Api("bootstrap", "root", "admin", "platform-admin");
    }

    /** Defines a meter as a platform admin; returns its key. */
    public static String createMeter(String key, String eventMeter, String aggregation, String valueProperty,
            List<String> groupBy) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("key", key, "eventMeter", eventMeter, "aggregation",
                aggregation, "groupBy", groupBy));
        if (valueProperty != null) {
            body.put("valueProperty", valueProperty);
        }
        platformAdmin().req().body(body).post("/api/v1/billing/meters").then().statusCode(201);
        return key;
    }

    /** One row of a usage report. */
    public record Row(Instant windowStart, Instant windowEnd, Map<String, String> groupBy, BigDecimal value) {
    }

    /** This caller's usage of {@code meter}; extra query parameters as name/value pairs. */
    public List<Row> usage(String meter, Instant from, Instant to, String... params) {
        RequestSpecification r = req().queryParam("meter", meter).queryParam("from", from.toString())
                .queryParam("to", to.toString());
        for (int i = 0; i < params.length; i += 2) {
            r = r.queryParam(params[i], params[i + 1]);
        }
        // exact decimals: never let the JSON numbers pass through a double
        JsonPath json = new JsonPath(r.get("/api/v1/billing/usage").then().statusCode(200).extract().asString())
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
        List<Row> rows = new ArrayList<>();
        List<Map<String, Object>> data = json.getList("data");
        for (Map<String, Object> d : data) {
            @SuppressWarnings("unchecked")
            Map<String, String> groups = (Map<String, String>) d.get("groupBy");
            rows.add(new Row(Instant.parse((String) d.get("windowStart")), Instant.parse((String) d.get("windowEnd")),
                    groups, new BigDecimal(String.valueOf(d.get("value")))));
        }
        return rows;
    }

    /** The value of a whole-range query without groups; zero when there is no usage. */
    public BigDecimal total(String meter, Instant from, Instant to) {
        List<Row> rows = usage(meter, from, to);
        return rows.isEmpty() ? BigDecimal.ZERO : rows.getFirst().value();
    }
}
