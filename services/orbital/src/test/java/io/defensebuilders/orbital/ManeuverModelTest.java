package io.defensebuilders.orbital;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.propagation.analytical.tle.TLEPropagator;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.models.maneuver.ManeuverClassifier;
import io.defensebuilders.orbital.maneuvers.Burns;
import io.defensebuilders.orbital.propagation.OrekitData;
import io.defensebuilders.testing.kafka.TopicReader;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The maneuver model beside the detector's rule: a maneuver found in an upload is put to the platform's maneuver
 * classifier over gRPC on the uploader's behalf, and the model's opinion (its classification, its probability, the
 * version that answered) is stored, shown and announced with the rule's; a model that does not answer in time leaves
 * the ingest on time and the maneuver without an opinion, and is not asked again for the cool-down.
 */
@QuarkusTest
class ManeuverModelTest {

    static Burns burns;

    private final String tenant = TestClient.newTenant();
    private final Api alice = Api.publisher(tenant);

    @BeforeAll
    static void orekit() {
        burns = new Burns(OrekitData.bundled());
    }

    @AfterEach
    void answerAgain() throws InterruptedException {
        if (FakeInference.HANG) {
            FakeInference.HANG = false;
            Thread.sleep(3_200); // the cool-down (%test 3 s) after the hang
        }
    }

    private JsonPath maneuvers(int norad) {
        return alice.req().get("/api/v1/orbital/objects/" + norad + "/maneuvers").then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void theModelsOpinionIsStoredShownAndAnnouncedBesideTheRules() throws OrtException {
        int norad = Api.newNorad();
        TLE before = burns.leo(norad);
        TLE after = burns.afterBurn(before, 86400, 0, 10, 0, 43200);
        alice.upload("text/plain", Burns.text("SAT", before)).then().statusCode(200);
        int calls = FakeInference.calls(tenant);
        alice.upload("text/plain", Burns.text("SAT", after)).then().statusCode(200);
        assertEquals(calls + 1, FakeInference.calls(tenant), "one call, on the uploader's behalf");

        JsonPath m = maneuvers(norad);
        assertEquals(1, m.getList("items").size(), m.prettify());
        assertEquals("ALTITUDE_RAISE", m.getString("items[0].maneuverType"));
        assertEquals(ManeuverClassifier.NAME, m.getString("items[0].model.name"));
        assertEquals(ManeuverClassifier.VERSION, m.getString("items[0].model.version"));
        // what the model says of the maneuver the API shows, computed here with ONNX Runtime
        float[] p = classify(ManeuverClassifier.features(m.getString("items[0].regime"), semiMajorAxisKm(after),
                (after.getDate().durationFrom(before.getDate())) / 86_400.0, m.getDouble("items[0].deltaV.radial"),
                m.getDouble("items[0].deltaV.inTrack"), m.getDouble("items[0].deltaV.crossTrack"),
                m.getDouble("items[0].deltaSemiMajorAxisKm")));
        int best = ManeuverClassifier.mostLikely(p);
        assertEquals(ManeuverClassifier.LABELS.get(best), m.getString("items[0].model.maneuverType"));
        assertEquals(p[best], m.getDouble("items[0].model.confidence"), 1e-4);
        assertEquals("ALTITUDE_RAISE", m.getString("items[0].model.maneuverType"), "a 10 m/s in-track burn");

        String id = m.getString("items[0].id");
        JsonPath event = new JsonPath(TopicReader.await(Topics.ORBITAL_MANEUVERS_V1, rec -> rec.value().contains(id), 1,
                Duration.ofSeconds(20)).getFirst().value());
        assertEquals(ManeuverClassifier.NAME, event.getString("data.model.name"));
        assertEquals(m.getString("items[0].model.maneuverType"), event.getString("data.model.maneuverType"));
        assertEquals(m.getDouble("items[0].model.confidence"), event.getDouble("data.model.confidence"), 1e-6);
    }

    @Test
    void aModelThatDoesNotAnswerLeavesTheIngestOnTimeAndTheManeuverWithoutItsOpinion() {
        int norad = Api.newNorad();
        TLE before = burns.leo(norad);
        alice.upload("text/plain", Burns.text("SAT", before)).then().statusCode(200);
        FakeInference.HANG = true;
        long started = System.nanoTime();
        alice.upload("text/plain", Burns.text("SAT", burns.afterBurn(before, 86400, 0, 10, 0, 43200))).then().statusCode(200);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs < 5_000, "the ingest waited for the model at most its timeout (500 ms): " + tookMs + " ms");
        JsonPath m = maneuvers(norad);
        assertEquals("ALTITUDE_RAISE", m.getString("items[0].maneuverType"), "the rule still classifies");
        assertNull(m.get("items[0].model"), m.prettify());

        // within the cool-down the model is not asked at all
        int norad2 = Api.newNorad();
        TLE before2 = burns.leo(norad2);
        int calls = FakeInference.calls(tenant);
        alice.upload("text/plain", Burns.text("SAT", before2, burns.afterBurn(before2, 86400, 0, 10, 0, 43200))).then()
                .statusCode(200);
        assertEquals(calls, FakeInference.calls(tenant));
        assertNull(maneuvers(norad2).get("items[0].model"));
    }

    private static double semiMajorAxisKm(TLE tle) {
        double n = tle.getMeanMotion();
        return Math.cbrt(TLEPropagator.getMU() / (n * n)) / 1000;
    }

    private static float[] classify(float[] features) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(ManeuverClassifier.onnx());
                OnnxTensor x = OnnxTensor.createTensor(env, new float[][] { features });
                OrtSession.Result r = session.run(Map.of(ManeuverClassifier.INPUT, x))) {
            return ((float[][]) r.get(0).getValue())[0];
        }
    }
}
