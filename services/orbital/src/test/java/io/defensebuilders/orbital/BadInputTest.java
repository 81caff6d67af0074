package io.defensebuilders.orbital;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 15, items 3-5: input PostgreSQL or the JDK would choke on (NUL characters, numbers a TLE cannot hold, dates out
 * of range, huge numbers) is a 400 problem naming the field, never a 500 or a silently changed value.
 */
@QuarkusTest
class BadInputTest {

    private static final String PROBLEM = "application/problem+json";
    private final Api alice = Api.publisher(TestClient.newTenant());

    private static String kvn(int norad, String bstar, String name) {
        return Api.kvn(name, norad, "2024-02-19T00:00:00", bstar);
    }

    private static Map<String, Object> json(int norad, Object nddot, String name, String owner) {
        return Map.ofEntries(Map.entry("OBJECT_NAME", name), Map.entry("OBJECT_ID", "1998-067A"),
                Map.entry("EPOCH", "2024-01-20T06:00:00.000000"), Map.entry("MEAN_MOTION", 15.5),
                Map.entry("ECCENTRICITY", 0.0004), Map.entry("INCLINATION", 51.64), Map.entry("RA_OF_ASC_NODE", 10.5),
                Map.entry("ARG_OF_PERICENTER", 45.2), Map.entry("MEAN_ANOMALY", 315.0), Map.entry("NORAD_CAT_ID", norad),
                Map.entry("BSTAR", 0.00025), Map.entry("MEAN_MOTION_DOT", 0.00012), Map.entry("MEAN_MOTION_DDOT", nddot),
                Map.entry("OWNER", owner));
    }

    private static String xml(int norad, String bstar) {
        return """
                <omm id="CCSDS_OMM_VERS" version="2.0">
                  <body><segment>
                    <metadata><OBJECT_NAME>XML SAT</OBJECT_NAME><OBJECT_ID>2020-001C</OBJECT_ID></metadata>
                    <data>
                      <meanElements>
                        <EPOCH>2024-01-15T12:00:00.000000</EPOCH><MEAN_MOTION>15.5</MEAN_MOTION>
                        <ECCENTRICITY>0.0001</ECCENTRICITY><INCLINATION>53.05</INCLINATION>
                        <RA_OF_ASC_NODE>120.1</RA_OF_ASC_NODE><ARG_OF_PERICENTER>90.5</ARG_OF_PERICENTER>
                        <MEAN_ANOMALY>270.0</MEAN_ANOMALY>
                      </meanElements>
                      <tleParameters>
                        <NORAD_CAT_ID>%d</NORAD_CAT_ID>
                        <BSTAR>%s</BSTAR><MEAN_MOTION_DOT>0.0001</MEAN_MOTION_DOT><MEAN_MOTION_DDOT>0</MEAN_MOTION_DDOT>
                      </tleParameters>
                    </data>
                  </segment></body>
                </omm>
                """.formatted(norad, bstar);
    }

    @Test
    void nulCharactersInElementSetTextAreRefusedNamingWhere() {
        int norad = Api.newNorad();
        alice.upload("text/plain", Api.Tles.threeLe("BAD\u0000NAME", norad, "24001.00000000")).then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("line 1: text"))
                .body("errors[0].message", containsString("NUL"));
        alice.upload("text/plain", kvn(norad, "0.0001", "KVN\u0000SAT")).then().statusCode(400)
                .body("errors[0].field", equalTo("line 2: text"));
        alice.req().body(List.of(json(norad, 0, "JSON\u0000SAT", "US"))).post("/api/v1/orbital/element-sets").then()
                .statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("[0].OBJECT_NAME"));
        alice.req().body(List.of(json(norad, 0, "JSON SAT", "U\u0000S"))).post("/api/v1/orbital/element-sets").then()
                .statusCode(400).body("errors[0].field", equalTo("[0].OWNER"));
        alice.req().body("[{\"OBJECT_ID\": \"1998-067A\\u0000\"}]").post("/api/v1/orbital/element-sets").then()
                .statusCode(400).body("errors[0].field", equalTo("[0].OBJECT_ID"));
        alice.upload("application/xml", xml(norad, "0.0001").replace("XML SAT", "XML&#0;SAT")).then().statusCode(400)
                .contentType(PROBLEM);
        alice.req().body(Map.of("tle", Map.of("line1", "1\u0000", "line2", "2"), "minutesSinceEpoch", List.of(0)))
                .post("/api/v1/orbital/propagate").then().statusCode(400).body("errors[0].field", equalTo("tle.line1"));
        alice.req().get("/api/v1/orbital/objects/" + norad).then().statusCode(404);
    }

    @Test
    void ommValuesATleCannotHoldAreRefusedInEveryFormat() {
        int norad = Api.newNorad();
        alice.upload("text/plain", kvn(norad, "1e999", "KVN SAT")).then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("line 12: BSTAR"))
                .body("errors[0].message", containsString("finite"));
        alice.upload("text/plain", kvn(norad, "-3e9", "KVN SAT")).then().statusCode(400)
                .body("errors[0].field", equalTo("line 12: BSTAR"));
        alice.upload("text/plain", kvn(norad, "9.999996e8", "KVN SAT")).then().statusCode(400)
                .body("errors[0].field", equalTo("line 12: BSTAR")); // would round to 1.00000e9
        alice.req().body(List.of(json(norad, 1e308, "JSON SAT", "US"))).post("/api/v1/orbital/element-sets").then()
                .statusCode(400).body("errors[0].field", equalTo("[0].MEAN_MOTION_DDOT"));
        alice.req().body("[" + "{\"NORAD_CAT_ID\": %d, \"EPOCH\": \"2024-01-20T06:00:00\", \"MEAN_MOTION\": 15.5,"
                .formatted(norad) + " \"ECCENTRICITY\": 0.0004, \"INCLINATION\": 51.64, \"RA_OF_ASC_NODE\": 10.5,"
                + " \"ARG_OF_PERICENTER\": 45.2, \"MEAN_ANOMALY\": 315.0, \"BSTAR\": 1e999, \"MEAN_MOTION_DOT\": 0,"
                + " \"MEAN_MOTION_DDOT\": 0}]").post("/api/v1/orbital/element-sets").then().statusCode(400)
                .body("errors[0].field", equalTo("[0].BSTAR"));
        alice.upload("application/xml", xml(norad, "1e999")).then().statusCode(400)
                .body("errors[0].field", equalTo("line 13: BSTAR"));
        alice.req().get("/api/v1/orbital/objects/" + norad).then().statusCode(404);
        // values the TLE holds are stored as given (to its precision)
        alice.upload("text/plain", kvn(norad, "-1.2345e-5", "KVN SAT")).then().statusCode(200);
        alice.req().get("/api/v1/orbital/objects/" + norad).then().statusCode(200)
                .body("currentElementSet.bstar", equalTo(-1.2345e-5));
    }

    @Test
    void queryAndPathParametersOutOfRangeAreA400NamingTheField() {
        int norad = Api.newNorad();
        alice.upload("text/plain", Api.Tles.threeLe("PARAMS", norad, "24001.00000000")).then().statusCode(200);
        String far = "+1000000000-01-01T00:00:00Z";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("/api/v1/orbital/objects?q=%00", "q");
        cases.put("/api/v1/orbital/objects?objectType=%00", "objectType");
        cases.put("/api/v1/orbital/objects?cursor=%00", "cursor");
        cases.put("/api/v1/orbital/objects?limit=99999999999999999999", "limit");
        cases.put("/api/v1/orbital/objects/99999999999999999999", "noradId");
        cases.put("/api/v1/orbital/objects/%00", "noradId");
        cases.put("/api/v1/orbital/objects/" + norad + "/element-sets?from=%2B1000000000-01-01T00:00:00Z", "from");
        cases.put("/api/v1/orbital/objects/" + norad + "/element-sets?to=%00", "to");
        cases.put("/api/v1/orbital/objects/" + norad + "/element-sets?order=%00", "order");
        cases.put("/api/v1/orbital/objects/" + norad + "/element-sets?cursor=" + cursor("history-" + norad + "-asc|" + far),
                "cursor");
        cases.put("/api/v1/orbital/objects/" + norad + "/maneuvers?since=%2B1000000000-01-01T00:00:00Z", "since");
        cases.put("/api/v1/orbital/maneuvers?since=-999999999-01-01T00:00:00Z", "since");
        cases.put("/api/v1/orbital/maneuvers?cursor=" + cursor("maneuvers|" + far + "|" + java.util.UUID.randomUUID()),
                "cursor");
        cases.put("/api/v1/orbital/maneuvers?limit=99999999999999999999", "limit");
        cases.put("/api/v1/orbital/element-sets/%00", "id");
        cases.put("/api/v1/orbital/element-sets/99999999999999999999", "id");
        cases.put("/api/v1/orbital/ccdm/99999999999999999999", "noradId");
        cases.put("/api/v1/orbital/screenings/%00", "id");
        cases.put("/api/v1/orbital/screenings?limit=99999999999999999999", "limit");
        cases.put("/api/v1/orbital/screenings?status=%00", "status");
        cases.forEach((url, field) -> alice.req().urlEncodingEnabled(false).get(url).then()
                .statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo(field)));
    }

    private static String cursor(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nulInDescriptionsAndReasonsIsA400() {
        int norad = Api.newNorad();
        String id = alice.upload("text/plain", Api.Tles.threeLe("MINE", norad, "24001.00000000")).then().statusCode(200)
                .extract().jsonPath().getString("elementSets[0].id");
        alice.req().body(Map.of("name", "A\u0000B")).patch("/api/v1/orbital/objects/" + norad).then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("name"));
        alice.req().body(Map.of("owner", "A\u0000B")).patch("/api/v1/orbital/objects/" + norad).then().statusCode(400)
                .body("errors[0].field", equalTo("owner"));
        alice.req().body(Map.of("reason", "bad\u0000")).post("/api/v1/orbital/element-sets/" + id + "/withdraw").then()
                .statusCode(400).body("errors[0].field", equalTo("reason"));
        alice.req().body(Map.of("noradId", norad, "times", List.of("+1000000000-01-01T00:00:00Z")))
                .post("/api/v1/orbital/propagate").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("times[0]"));
    }

    @Test
    void screeningWindowsOutsideThePropagationSpanAreRefused() {
        Api builder = new Api(alice.tenant(), "b", "builder");
        for (String start : List.of("-999999999-01-01T00:00:00Z", "1900-01-01T00:00:00Z", "2057-12-31T00:00:00Z")) {
            builder.req().body(Map.of("windowStart", start, "windowDays", 2)).post("/api/v1/orbital/screenings").then()
                    .statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("windowStart"));
        }
    }
}
