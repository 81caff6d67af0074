package io.defensebuilders.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.testing.quarkus.TestClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The business dashboard's SQL (deploy/grafana/dashboards/business.json), with Grafana's macros expanded as its
 * PostgreSQL data source does, runs against the real schema as the read-only analytics_reader role and finds the
 * usage it is about.
 */
@QuarkusTest
class DashboardQueriesTest {

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "dbp.analytics.ingest.group-id")
    String group;

    @Test
    void everyBusinessPanelQueryRunsAsTheReadOnlyRoleAndSeesTheRollups() throws Exception {
        String tenant = TestClient.newTenant();
        Instant t = Events.BASE.plusSeconds(120);
        new Events().send(Topics.USAGE_V1, List.of(usage(tenant, t, "artifact.download", "1", Map.of("sdk", "tak-server")),
                usage(tenant, t, "environment.minutes", "60", Map.of()))).awaitConsumed(group);

        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(dashboards().resolve("business.json")));
        List<String> queries = new ArrayList<>();
        dashboard.get("templating").get("list").forEach(v -> queries.add(v.get("query").asText()));
        for (JsonNode panel : dashboard.get("panels")) {
            panel.path("targets").forEach(target -> queries.add(target.get("rawSql").asText()));
        }
        assertTrue(queries.size() >= 7, "queries found: " + queries.size());

        Instant from = Events.BASE.minus(Duration.ofDays(1));
        Instant to = Instant.now();
        Map<String, Integer> rowsPerQuery = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("SET ROLE analytics_reader");
            try {
                for (String q : queries) {
                    String sql = q.replace("$__timeFilter(bucket)", "bucket BETWEEN '" + from + "' AND '" + to + "'")
                            .replace("$__timeFrom()", "'" + from + "'").replace("$__timeTo()", "'" + to + "'")
                            .replace("$tenant", "'" + tenant + "'");
                    assertFalse(sql.contains("$"), "unexpanded macro in " + sql);
                    int rows = 0;
                    try (ResultSet rs = st.executeQuery(sql)) {
                        while (rs.next()) {
                            rows++;
                        }
                    }
                    rowsPerQuery.put(q.lines().findFirst().orElse(q), rows);
                }
                // the role reads rollups and nothing else
                try {
                    st.executeQuery("SELECT count(*) FROM analytics.event");
                    throw new AssertionError("analytics_reader must not read raw events");
                } catch (java.sql.SQLException e) {
                    assertEquals("42501", e.getSQLState());
                }
            } finally {
                st.execute("RESET ROLE");
            }
        }
        // usage per meter, per tenant, environments, downloads each see the two events
        assertTrue(rowsPerQuery.values().stream().filter(n -> n > 0).count() >= 5, rowsPerQuery.toString());
    }

    private static Map<String, Object> usage(String tenant, Instant at, String meter, String quantity,
            Map<String, String> attributes) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tenant", tenant);
        data.put("meter", meter);
        data.put("quantity", quantity);
        data.put("occurredAt", at.toString());
        data.put("attributes", attributes);
        return Events.event(UUID.randomUUID().toString(), "/tests/dashboards", "io.defensebuilders.usage.v1", tenant, at,
                data);
    }

    private static Path dashboards() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("deploy/grafana/dashboards");
            if (Files.isDirectory(d)) {
                return d;
            }
        }
        throw new IllegalStateException("deploy/grafana/dashboards not found above " + Path.of("").toAbsolutePath());
    }
}
