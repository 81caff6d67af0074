package io.defensebuilders.orbital;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Bad propagation requests are 4xx problems naming the field, never 500s; batches isolate failing objects. */
@QuarkusTest
class PropagationRequestTest {

    private static final Map<String, String> VANGUARD = Map.of(
            "line1", "1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753",
            "line2", "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667");
    private static final Map<String, String> DECAYING = Map.of(
            "line1", "1 28872U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534",
            "line2", "2 28872  96.4736 157.9986 0303955 244.0492 110.6523 16.46015938 10708");

    private final Api alice = Api.viewer(TestClient.newTenant());

    private io.restassured.response.ValidatableResponse post(Object body) {
        return alice.req().body(body).post("/api/v1/orbital/propagate").then().contentType("application/problem+json");
    }

    @Test
    void malformedRequestsAre400sThatNameTheField() {
        alice.req().body("{\"tle\": ").post("/api/v1/orbital/propagate").then().statusCode(400)
                .contentType("application/problem+json");
        alice.req().body("{\"tle\": {\"line1\": \"5\"}, \"minutesSinceEpoch\": \"soon\"}").post("/api/v1/orbital/propagate")
                .then().statusCode(400).body("detail", containsString("minutesSinceEpoch"));
        post(Map.of("tle", VANGUARD, "minutesSinceEpoch", List.of(0), "frame", "J2000")).statusCode(400)
                .body("errors[0].field", equalTo("frame"));
        post(Map.of("tle", VANGUARD)).statusCode(400).body("errors[0].field", equalTo("minutesSinceEpoch"));
        post(Map.of("tle", VANGUARD, "minutesSinceEpoch", List.of(0), "times", List.of("2000-06-28T00:00:00Z")))
                .statusCode(400).body("errors[0].field", equalTo("minutesSinceEpoch"));
        post(Map.of("tle", VANGUARD, "minutesSinceEpoch", List.of())).statusCode(400);
        post(Map.of("tle", VANGUARD, "times", List.of("2000-06-28T00:00:00Z", "tomorrow"))).statusCode(400)
                .body("errors[0].field", equalTo("times[1]"));
        post(Map.of("tle", VANGUARD, "times", List.of("2000-06-28T00:00:00"))).statusCode(400)
                .body("errors[0].field", equalTo("times[0]"));
        post(Map.of("minutesSinceEpoch", List.of(0))).statusCode(400).body("errors[0].field", equalTo("tle"));
        post(Map.of("tle", VANGUARD, "noradId", 5, "minutesSinceEpoch", List.of(0))).statusCode(400);
    }

    @Test
    void badTlesNameTheLineAndField() {
        String badChecksum = VANGUARD.get("line1").substring(0, 68) + "0";
        post(Map.of("tle", Map.of("line1", badChecksum, "line2", VANGUARD.get("line2")), "minutesSinceEpoch", List.of(0)))
                .statusCode(400).body("type", equalTo("https://defensebuilders.io/problems/invalid-element-set"))
                .body("errors[0].field", equalTo("tle.line1: checksum"));
        post(Map.of("tle", Map.of("line1", VANGUARD.get("line1")), "minutesSinceEpoch", List.of(0))).statusCode(400)
                .body("errors[0].field", equalTo("tle.line2: length"));
    }

    @Test
    void tooManyStatesAndTimesOutsideTheWindowAreRefused() {
        post(Map.of("tle", VANGUARD, "minutesSinceEpoch", Collections.nCopies(10_001, 1.0))).statusCode(400)
                .body("type", equalTo("https://defensebuilders.io/problems/too-many-states"))
                .body("limit", equalTo(10_000));
        alice.req().body(Map.of("tle", VANGUARD, "minutesSinceEpoch", Collections.nCopies(10_000, 1.0)))
                .post("/api/v1/orbital/propagate").then().statusCode(200).body("states", hasSize(10_000));
        post(Map.of("tle", VANGUARD, "minutesSinceEpoch", List.of(0, 367 * 1440))).statusCode(400)
                .body("errors[0].field", equalTo("minutesSinceEpoch[1]"));
        post(Map.of("tle", VANGUARD, "times", List.of("2024-01-01T00:00:00Z"))).statusCode(400)
                .body("errors[0].field", equalTo("times[0]"));
    }

    @Test
    void propagationNeedsAValidToken() {
        RestAssured.given().contentType("application/json")
                .body(Map.of("tle", VANGUARD, "minutesSinceEpoch", List.of(0))).post("/api/v1/orbital/propagate")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aBatchGivesEachObjectItsStatesOrItsProblem() {
        alice.req().body(Map.of(
                "objects", List.of(Map.of("id", "vanguard", "tle", VANGUARD), Map.of("id", "minotaur", "tle", DECAYING),
                        Map.of("id", "missing", "noradId", 339_999)),
                "minutesSinceEpoch", List.of(0, 60), "frame", "teme"))
                .post("/api/v1/orbital/propagate/batch").then().statusCode(200)
                .body("frame", equalTo("TEME"))
                .body("results", hasSize(3))
                .body("results[0].id", equalTo("vanguard"))
                .body("results[0].noradId", equalTo(5))
                .body("results[0].states", hasSize(2))
                .body("results[0].problem", nullValue())
                .body("results[1].id", equalTo("minotaur"))
                .body("results[1].noradId", equalTo(28872))
                .body("results[1].states", nullValue())
                .body("results[1].problem.status", equalTo(422))
                .body("results[1].problem.type", equalTo("https://defensebuilders.io/problems/orbit-decayed"))
                .body("results[2].problem.status", equalTo(404));
    }

    @Test
    void batchInputErrorsFailTheWholeRequest() {
        String badLine2 = VANGUARD.get("line2").replace("1859667", "18596X7");
        alice.req().body(Map.of("objects", List.of(Map.of("tle", VANGUARD),
                Map.of("tle", Map.of("line1", VANGUARD.get("line1"), "line2", badLine2))), "minutesSinceEpoch", List.of(0)))
                .post("/api/v1/orbital/propagate/batch").then().statusCode(400)
                .body("errors[0].field", equalTo("objects[1].tle.line2: eccentricity"));
        alice.req().body(Map.of("objects", Collections.nCopies(2, Map.of("tle", VANGUARD)),
                "minutesSinceEpoch", Collections.nCopies(5_001, 0))).post("/api/v1/orbital/propagate/batch").then()
                .statusCode(400).body("type", equalTo("https://defensebuilders.io/problems/too-many-states"));
        alice.req().body(Map.of("objects", List.of(), "minutesSinceEpoch", List.of(0)))
                .post("/api/v1/orbital/propagate/batch").then().statusCode(400)
                .body("errors[0].field", equalTo("objects"));
        alice.req().body(Map.of("objects", List.of(Map.of("id", "nothing")), "minutesSinceEpoch", List.of(0)))
                .post("/api/v1/orbital/propagate/batch").then().statusCode(400)
                .body("errors[0].field", equalTo("objects[0]"));
    }
}
