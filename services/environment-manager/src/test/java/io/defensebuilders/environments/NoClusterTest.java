package io.defensebuilders.environments;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.testing.quarkus.ManagementPort;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Without a cluster (a laptop's ./platform up) the service is ready and answers 503 problem+json. */
@QuarkusTest
@TestProfile(NoClusterTest.NoCluster.class)
class NoClusterTest {

    public static class NoCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dbp.environments.operator.enabled", "false");
        }
    }

    @Test
    void isReadyAndAnswers503WithoutACluster() {
        given().port(ManagementPort.get()).get("/q/health/ready").then().statusCode(200);
        Api.builder(TestClient.newTenant()).req().get("/api/v1/environments").then().statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://defensebuilders.io/problems/no-cluster"));
    }
}
