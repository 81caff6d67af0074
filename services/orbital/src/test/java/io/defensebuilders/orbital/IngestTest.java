package io.defensebuilders.orbital;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Uploading TLE/3LE and OMM (KVN, XML, JSON): what is stored, and how bad input is answered. */
@QuarkusTest
class IngestTest {

    private static final String PROBLEM = "https://defensebuilders.io/problems/invalid-element-set";
    private final Api alice = Api.publisher(TestClient.newTenant());

    private JsonPath object(int norad) {
        return alice.req().get("/api/v1/orbital/objects/" + norad).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void storesThreeLineElementSetsWithNameDesignatorAndImpliedType() {
        int payload = Api.newNorad();
        int rocket = Api.newNorad();
        String text = Api.Tles.threeLe("0 VANGUARD TEST", payload, "00179.78495062")
                + "\n\n" + Api.Tles.threeLe("SL-6 R/B(2)", rocket, "06176.50000000");
        JsonPath result = alice.upload("text/plain", text).then().statusCode(200).extract().jsonPath();
        assertEquals(2, result.getInt("received"));
        assertEquals(2, result.getInt("stored"));
        assertEquals(true, result.getBoolean("elementSets[0].current"));

        JsonPath vanguard = object(payload);
        assertEquals("VANGUARD TEST", vanguard.getString("name"));
        assertEquals("1958-002B", vanguard.getString("intlDesignator"));
        assertEquals("UNKNOWN", vanguard.getString("objectType"));
        assertEquals("2000-06-27T18:50:19.733568Z", vanguard.getString("currentElementSet.epoch"));
        assertEquals(0.1859667, vanguard.getDouble("currentElementSet.eccentricity"), 0);
        assertEquals(10.82419157, vanguard.getDouble("currentElementSet.meanMotion"), 0);
        assertEquals(0.28098e-4, vanguard.getDouble("currentElementSet.bstar"), 1e-15);
        assertEquals("tle", vanguard.getString("currentElementSet.format"));
        assertEquals(Api.Tles.of(payload, "00179.78495062")[0], vanguard.getString("currentElementSet.tle.line1"));
        assertEquals("ROCKET_BODY", object(rocket).getString("objectType"));
    }

    @Test
    void plainTwoLineSetsNeedNoNameLine() {
        int norad = Api.newNorad();
        String[] l = Api.Tles.of(norad, "24001.00000000");
        alice.upload("text/plain", l[0] + "\r\n" + l[1] + "   \r\n").then().statusCode(200).body("stored", equalTo(1));
        assertEquals("2024-01-01T00:00:00Z", object(norad).getString("currentElementSet.epoch"));
    }

    @Test
    void alpha5CatalogNumbersAreRead() {
        // Alpha-5: a letter (I and O skipped) stands for the ten-thousands from 10 up, so A0001 is 100001, Z9999 339999
        String[] l = Api.Tles.of(1, "24001.00000000");
        String line1 = Api.Tles.withChecksum(l[0].substring(0, 2) + "T1234" + l[0].substring(7));
        String line2 = Api.Tles.withChecksum(l[1].substring(0, 2) + "T1234" + l[1].substring(7));
        alice.upload("text/plain", line1 + "\n" + line2).then().statusCode(200)
                .body("elementSets[0].noradId", equalTo(271_234));
        assertEquals(line1, object(271_234).getString("currentElementSet.tle.line1"));
        String bad = Api.Tles.withChecksum(l[0].substring(0, 2) + "I1234" + l[0].substring(7));
        alice.upload("text/plain", bad + "\n" + Api.Tles.withChecksum(l[1].substring(0, 2) + "I1234" + l[1].substring(7)))
                .then().statusCode(400).body("errors[0].field", equalTo("line 1: noradId"));
    }

    @Test
    void badTlesAreRefusedWithTheLineAndFieldOfEachError() {
        int norad = Api.newNorad();
        String[] good = Api.Tles.of(norad, "24001.00000000");
        String badChecksum = good[1].substring(0, 68) + ((good[1].charAt(68) - '0' + 1) % 10);
        String badEccentricity = Api.Tles.withChecksum(good[1].substring(0, 26) + "18596X7" + good[1].substring(33));
        String badInclination = Api.Tles.withChecksum(good[1].substring(0, 8) + "190.0000" + good[1].substring(16));
        String text = "GOOD\n" + good[0] + "\n" + good[1] + "\n" // lines 1-3
                + "CHECKSUM\n" + good[0] + "\n" + badChecksum + "\n" // lines 4-6
                + good[0] + "\n" + badEccentricity + "\n" // lines 7-8
                + good[0] + "\n" + badInclination + "\n" // lines 9-10
                + good[0].substring(0, 60) + "\n" + good[1] + "\n"; // lines 11-12
        alice.upload("text/plain", text).then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM))
                .body("errorCount", equalTo(4))
                .body("errors.field", equalTo(List.of("line 6: checksum", "line 8: eccentricity", "line 10: inclination",
                        "line 11: length")))
                .body("errors[0].message", containsString("column 69"))
                .body("errors[1].message", containsString("columns 27-33"))
                .body("errors[2].message", containsString("190.0 is outside [0, 180]"))
                .body("detail", containsString("line 6: checksum"));
        // all or nothing: the valid element set of the upload was not stored either
        alice.req().get("/api/v1/orbital/objects/" + norad).then().statusCode(404);
    }

    @Test
    void structuralTleErrorsNameTheirLine() {
        int norad = Api.newNorad();
        String[] l = Api.Tles.of(norad, "24001.00000000");
        alice.upload("text/plain", l[1] + "\n").then().statusCode(400)
                .body("errors[0].field", equalTo("line 1: lineNumber"));
        alice.upload("text/plain", "NAME ONLY\n\n").then().statusCode(400)
                .body("errors[0].field", equalTo("line 1: name"));
        String[] other = Api.Tles.of(norad + 1, "24001.00000000");
        alice.upload("text/plain", l[0] + "\n" + other[1] + "\n").then().statusCode(400)
                .body("errors[0].field", equalTo("line 2: noradId"));
        alice.upload("text/plain", "   \n").then().statusCode(400).body("errors[0].field", equalTo("body"));
    }

    private static String kvn(int norad, String extra) {
        return """
                CCSDS_OMM_VERS = 2.0
                COMMENT generated for a test
                CREATION_DATE = 2024-01-02T00:00:00
                ORIGINATOR = TEST
                OBJECT_NAME = VANGUARD OMM
                OBJECT_ID = 1958-002B
                CENTER_NAME = EARTH
                REF_FRAME = TEME
                TIME_SYSTEM = UTC
                MEAN_ELEMENT_THEORY = SGP4
                EPOCH = 2000-06-27T18:50:19.733568
                MEAN_MOTION = 10.82419157 [rev/day]
                ECCENTRICITY = .1859667
                INCLINATION = 34.2682 [deg]
                RA_OF_ASC_NODE = 348.7242
                ARG_OF_PERICENTER = 331.7664
                MEAN_ANOMALY = 19.3264
                EPHEMERIS_TYPE = 0
                CLASSIFICATION_TYPE = U
                NORAD_CAT_ID = %d
                ELEMENT_SET_NO = 475
                REV_AT_EPOCH = 41366
                BSTAR = .28098E-4
                MEAN_MOTION_DOT = .00000023
                MEAN_MOTION_DDOT = 0
                """.formatted(norad) + extra;
    }

    @Test
    void ommKvnBecomesTheSameTleAsTheTwoLineForm() {
        int norad = Api.newNorad();
        alice.upload("text/plain", kvn(norad, "USER_DEFINED_OBJECT_TYPE = PAYLOAD\nUSER_DEFINED_COUNTRY_CODE = US\n"))
                .then().statusCode(200).body("stored", equalTo(1));
        JsonPath o = object(norad);
        // the TLE generated from the OMM is Vallado's 00005 line for line (bar the catalog number)
        String[] expected = Api.Tles.of(norad, "00179.78495062");
        assertEquals(expected[0], o.getString("currentElementSet.tle.line1"));
        assertEquals(expected[1], o.getString("currentElementSet.tle.line2"));
        assertEquals("omm-kvn", o.getString("currentElementSet.format"));
        assertEquals("PAYLOAD", o.getString("objectType"));
        assertEquals("US", o.getString("owner"));
        assertEquals("VANGUARD OMM", o.getString("name"));
    }

    @Test
    void badOmmKvnNamesLineAndKeyword() {
        int norad = Api.newNorad();
        String text = kvn(norad, "").replace("ECCENTRICITY = .1859667", "ECCENTRICITY = 1.2")
                .replace("REF_FRAME = TEME", "REF_FRAME = GCRF").replace("MEAN_ANOMALY = 19.3264\n", "");
        alice.upload("text/plain", text).then().statusCode(400).body("type", equalTo(PROBLEM))
                .body("errors.field", equalTo(List.of("line 8: REF_FRAME", "line 13: ECCENTRICITY", "line 1: MEAN_ANOMALY")))
                .body("errors[1].message", containsString("1.2 is outside [0, 1)"))
                .body("errors[2].message", containsString("is required"));
    }

    @Test
    void ommXmlDocumentsWithSeveralOmmsAreStored() {
        int first = Api.newNorad();
        int second = Api.newNorad();
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ndm>\n" + ommXml(first, "0.0001") + ommXml(second, "0.0002")
                + "</ndm>\n";
        alice.upload("application/xml", xml).then().statusCode(200).body("stored", equalTo(2));
        JsonPath o = object(second);
        assertEquals("DEBRIS", o.getString("objectType"));
        assertEquals(0.0002, o.getDouble("currentElementSet.eccentricity"), 0);
        assertEquals("omm-xml", o.getString("currentElementSet.format"));
        assertEquals("2024-01-15T12:00:00Z", o.getString("currentElementSet.epoch"));
    }

    private static String ommXml(int norad, String eccentricity) {
        return """
                <omm id="CCSDS_OMM_VERS" version="2.0">
                  <header><CREATION_DATE>2024-01-16T00:00:00</CREATION_DATE><ORIGINATOR>TEST</ORIGINATOR></header>
                  <body><segment>
                    <metadata>
                      <OBJECT_NAME>TEST DEB</OBJECT_NAME><OBJECT_ID>2020-001C</OBJECT_ID><CENTER_NAME>EARTH</CENTER_NAME>
                      <REF_FRAME>TEME</REF_FRAME><TIME_SYSTEM>UTC</TIME_SYSTEM><MEAN_ELEMENT_THEORY>SGP4</MEAN_ELEMENT_THEORY>
                    </metadata>
                    <data>
                      <meanElements>
                        <EPOCH>2024-01-15T12:00:00.000000</EPOCH><MEAN_MOTION>15.5</MEAN_MOTION>
                        <ECCENTRICITY>%s</ECCENTRICITY><INCLINATION>53.05</INCLINATION>
                        <RA_OF_ASC_NODE>120.1</RA_OF_ASC_NODE><ARG_OF_PERICENTER>90.5</ARG_OF_PERICENTER>
                        <MEAN_ANOMALY>270.0</MEAN_ANOMALY>
                      </meanElements>
                      <tleParameters>
                        <EPHEMERIS_TYPE>0</EPHEMERIS_TYPE><CLASSIFICATION_TYPE>U</CLASSIFICATION_TYPE>
                        <NORAD_CAT_ID>%d</NORAD_CAT_ID><ELEMENT_SET_NO>999</ELEMENT_SET_NO><REV_AT_EPOCH>1234</REV_AT_EPOCH>
                        <BSTAR>0.00012</BSTAR><MEAN_MOTION_DOT>0.0001</MEAN_MOTION_DOT><MEAN_MOTION_DDOT>0</MEAN_MOTION_DDOT>
                      </tleParameters>
                    </data>
                  </segment></body>
                </omm>
                """.formatted(eccentricity, norad);
    }

    @Test
    void badOmmXmlNamesLineAndElementAndRefusesEntities() {
        int norad = Api.newNorad();
        String xml = "<ndm>\n" + ommXml(norad, "0.0001").replace("<MEAN_MOTION>15.5</MEAN_MOTION>",
                "<MEAN_MOTION>fast</MEAN_MOTION>") + "</ndm>";
        alice.upload("application/xml", xml).then().statusCode(400).body("type", equalTo(PROBLEM))
                .body("errors[0].field", equalTo("line 11: MEAN_MOTION"))
                .body("errors[0].message", containsString("'fast' is not a number"));
        String entity = "<?xml version=\"1.0\"?>\n<!DOCTYPE omm [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<omm>&x;</omm>";
        alice.upload("application/xml", entity).then().statusCode(400).body("errors[0].field", containsString(": xml"));
        alice.upload("application/xml", "<ndm><omm>").then().statusCode(400).body("type", equalTo(PROBLEM));
    }

    private static Map<String, Object> ommJson(int norad, Object meanMotion) {
        return Map.ofEntries(Map.entry("OBJECT_NAME", "ISS (ZARYA)"), Map.entry("OBJECT_ID", "1998-067A"),
                Map.entry("EPOCH", "2024-01-20T06:00:00.000000"), Map.entry("MEAN_MOTION", meanMotion),
                Map.entry("ECCENTRICITY", 0.0004), Map.entry("INCLINATION", 51.64), Map.entry("RA_OF_ASC_NODE", 10.5),
                Map.entry("ARG_OF_PERICENTER", 45.2), Map.entry("MEAN_ANOMALY", 315.0), Map.entry("EPHEMERIS_TYPE", 0),
                Map.entry("CLASSIFICATION_TYPE", "U"), Map.entry("NORAD_CAT_ID", norad), Map.entry("ELEMENT_SET_NO", 999),
                Map.entry("REV_AT_EPOCH", 43000), Map.entry("BSTAR", 0.00025), Map.entry("MEAN_MOTION_DOT", 0.00012),
                Map.entry("MEAN_MOTION_DDOT", 0));
    }

    @Test
    void ommJsonArraysAreStoredAndBadMembersNamedByIndex() {
        int first = Api.newNorad();
        int second = Api.newNorad();
        alice.req().body(List.of(ommJson(first, 15.5), ommJson(second, 15.49))).post("/api/v1/orbital/element-sets")
                .then().statusCode(200).body("stored", equalTo(2));
        JsonPath o = object(first);
        assertEquals("1998-067A", o.getString("intlDesignator"));
        assertEquals("omm-json", o.getString("currentElementSet.format"));
        assertEquals(15.5, o.getDouble("currentElementSet.meanMotion"), 0);

        int bad = Api.newNorad();
        alice.req().body(List.of(ommJson(bad, 15.5), ommJson(bad + 1, "-1"))).post("/api/v1/orbital/element-sets")
                .then().statusCode(400).body("type", equalTo(PROBLEM))
                .body("errors[0].field", equalTo("[1].MEAN_MOTION"))
                .body("errors[0].message", containsString("outside (0, 20.0]"));
        alice.req().body("[{\"NORAD_CAT_ID\": 1,").post("/api/v1/orbital/element-sets").then().statusCode(400)
                .body("errors[0].field", equalTo("line 1: json"));
    }

    @Test
    void theFormatParameterOverridesTheContentType() {
        int norad = Api.newNorad();
        alice.upload("text/plain", kvn(norad, "")).then().statusCode(200);
        alice.req().contentType("text/plain").body("x").queryParam("format", "yaml")
                .post("/api/v1/orbital/element-sets").then().statusCode(400).body("errors[0].field", equalTo("format"));
        // an OMM sent as text/plain but declared TLE is read as TLE, and refused as such
        alice.req().contentType("text/plain").body(kvn(Api.newNorad(), "")).queryParam("format", "tle")
                .post("/api/v1/orbital/element-sets").then().statusCode(400).body("type", equalTo(PROBLEM));
        alice.req().contentType("application/octet-stream").body(new byte[] { 1, 2 })
                .post("/api/v1/orbital/element-sets").then().statusCode(415).contentType("application/problem+json");
    }

    @Test
    void ingestNeedsThePublisherRole() {
        String tenant = TestClient.newTenant();
        String text = Api.Tles.threeLe("ROLE TEST", Api.newNorad(), "24001.00000000");
        new Api(tenant, "v", "viewer").upload("text/plain", text).then().statusCode(403)
                .contentType("application/problem+json");
        new Api(tenant, "b", "builder").upload("text/plain", text).then().statusCode(403);
        new Api(tenant, "a", "admin").upload("text/plain", text).then().statusCode(200).body("stored", equalTo(1));
        io.restassured.RestAssured.given().contentType("text/plain").body(text).post("/api/v1/orbital/element-sets")
                .then().statusCode(401);
    }

    @Test
    void publishersDescribeObjectsAndViewersCannot() {
        int norad = Api.newNorad();
        alice.upload("text/plain", Api.Tles.threeLe("OLD NAME", norad, "24001.00000000")).then().statusCode(200);
        Api.viewer(TestClient.newTenant()).req().body(Map.of("owner", "X")).patch("/api/v1/orbital/objects/" + norad).then()
                .statusCode(403);
        alice.req().body(Map.of("objectType", "PAYLOAD", "owner", "ESA")).patch("/api/v1/orbital/objects/" + norad)
                .then().statusCode(200).body("objectType", equalTo("PAYLOAD")).body("owner", equalTo("ESA"))
                .body("name", equalTo("OLD NAME"));
        alice.req().body(Map.of("objectType", "SPACESHIP")).patch("/api/v1/orbital/objects/" + norad).then()
                .statusCode(400);
        alice.req().body(Map.of("owner", "ESA")).patch("/api/v1/orbital/objects/" + (norad + 100_000)).then()
                .statusCode(404);
        // a newer element set's name replaces the old one; the stated description stays
        alice.upload("text/plain", Api.Tles.threeLe("NEW NAME", norad, "24002.00000000")).then().statusCode(200);
        JsonPath o = object(norad);
        assertEquals("NEW NAME", o.getString("name"));
        assertEquals("PAYLOAD", o.getString("objectType"));
        assertEquals("ESA", o.getString("owner"));
        // an older one fills no gap and renames nothing
        alice.upload("text/plain", Api.Tles.threeLe("ANCIENT NAME", norad, "23001.00000000")).then().statusCode(200);
        assertEquals("NEW NAME", object(norad).getString("name"));
        alice.req().get("/api/v1/orbital/objects?q=new name&limit=1000").then().statusCode(200)
                .body("items.noradId", hasItem(norad));
        alice.req().get("/api/v1/orbital/objects?objectType=PAYLOAD&q=NEW NAME").then().statusCode(200)
                .body("items", hasSize(1));
    }
}
