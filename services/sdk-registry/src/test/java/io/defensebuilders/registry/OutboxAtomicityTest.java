package io.defensebuilders.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.testing.kafka.TopicReader;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A change and its outbox event commit together, on whichever client writes them (Hibernate Reactive for SDK
 * creation, the reactive client for versions): database triggers refuse the outbox row of marked SDKs, or the commit
 * of a marked SDK, and the other half must be gone with it. Written on two connections, an event would outlive its
 * refused SDK.
 */
@QuarkusTest
class OutboxAtomicityTest {

    private static final String MARK = "outbox-refused-";
    private static final String COMMIT_MARK = "commit-refused-";

    @Inject
    Pool pool;

    private final Api alice = Api.publisher(TestClient.newTenant());

    @BeforeEach
    void refuseMarkedEvents() {
        sql("CREATE OR REPLACE FUNCTION registry.test_refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN IF NEW.payload LIKE '%" + MARK + "%' THEN RAISE EXCEPTION 'outbox refused by the test'; END IF;"
                + " RETURN NEW; END $$");
        sql("DROP TRIGGER IF EXISTS test_refuse_outbox ON registry.event_outbox");
        sql("CREATE TRIGGER test_refuse_outbox BEFORE INSERT ON registry.event_outbox FOR EACH ROW"
                + " EXECUTE FUNCTION registry.test_refuse_outbox()");
        // checked at commit, after the outbox row was written
        sql("CREATE OR REPLACE FUNCTION registry.test_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN IF NEW.name LIKE '" + COMMIT_MARK + "%' THEN RAISE EXCEPTION 'commit refused by the test';"
                + " END IF; RETURN NEW; END $$");
        sql("DROP TRIGGER IF EXISTS test_refuse_commit ON registry.sdk");
        sql("CREATE CONSTRAINT TRIGGER test_refuse_commit AFTER INSERT ON registry.sdk DEFERRABLE INITIALLY DEFERRED"
                + " FOR EACH ROW EXECUTE FUNCTION registry.test_refuse_commit()");
    }

    @AfterEach
    void acceptEventsAgain() {
        sql("DROP TRIGGER IF EXISTS test_refuse_outbox ON registry.event_outbox");
        sql("DROP TRIGGER IF EXISTS test_refuse_commit ON registry.sdk");
    }

    @Test
    void sdkCreationRollsBackWhenItsEventCannotBeWritten() {
        String name = TestClient.unique(MARK + "sdk");
        String publisher = alice.createPublisher();
        int status = alice.req().body(Map.of("name", name, "publisher", publisher, "title", "T", "license", "MIT",
                "visibility", "public")).post("/api/v1/sdks").statusCode();
        assertNotEquals(201, status);
        alice.req().get("/api/v1/sdks/" + name).then().statusCode(404);
        assertEquals(0, count("SELECT count(*) FROM registry.sdk WHERE name = $1", name));
    }

    @Test
    void sdkEventIsNotWrittenWhenTheSdkCannotCommit() {
        String name = TestClient.unique(COMMIT_MARK + "sdk");
        String publisher = alice.createPublisher();
        int status = alice.req().body(Map.of("name", name, "publisher", publisher, "title", "T", "license", "MIT",
                "visibility", "public")).post("/api/v1/sdks").statusCode();
        assertNotEquals(201, status);
        alice.req().get("/api/v1/sdks/" + name).then().statusCode(404);
        assertEquals(0, count("SELECT count(*) FROM registry.event_outbox WHERE payload LIKE '%' || $1 || '%'", name));
        assertEquals(List.of(), TopicReader.await(Topics.REGISTRY_V1, r -> r.value().contains("\"" + name + "\""), 1,
                Duration.ofSeconds(4)));
    }

    @Test
    void versionPublishRollsBackWhenItsEventCannotBeWritten() {
        sql("DROP TRIGGER IF EXISTS test_refuse_outbox ON registry.event_outbox");
        String name = alice.createSdk(TestClient.unique(MARK + "ver"), "public");
        refuseMarkedEvents();
        int status = alice.req().body(Map.of("version", "1.0.0")).post("/api/v1/sdks/" + name + "/versions")
                .statusCode();
        assertNotEquals(201, status);
        alice.req().get("/api/v1/sdks/" + name + "/versions/1.0.0").then().statusCode(404);
        assertEquals(List.of(), alice.req().get("/api/v1/sdks/" + name + "/versions").then().statusCode(200)
                .extract().jsonPath().getList("$"));
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().atMost(Duration.ofSeconds(10));
    }

    private long count(String query, String param) {
        return pool.preparedQuery(query).execute(Tuple.of(param)).await().atMost(Duration.ofSeconds(10)).iterator()
                .next().getLong(0);
    }
}
