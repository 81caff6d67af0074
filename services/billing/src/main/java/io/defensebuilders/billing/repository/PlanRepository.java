package io.defensebuilders.billing.repository;

import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.billing.Plan;
import io.defensebuilders.billing.pricing.Charge;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Plan versions (immutable rows) and fee rules. Charges and limits are stored as JSON, read back exactly. */
@ApplicationScoped
public class PlanRepository {

    static final String COLUMNS = "p.id, p.key, p.version, p.name, p.description, p.currency, p.custom,"
            + " p.charges::text AS charges, p.limits::text AS limits, p.created_at";
    private static final TypeReference<List<Charge>> CHARGES = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> LIMITS = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public PlanRepository(ObjectMapper json) {
        this.json = json;
    }

    /** A fee rule: rate times the period total of the basis meter. */
    public record FeeRule(String key, String description, String basisMeter, java.math.BigDecimal rate, String currency) {
    }

    /** Inserts the next version of {@code key} (1 when new); fails with a unique violation when a racer got there first. */
    public Uni<Plan> insertVersion(SqlClient c, String key, int version, String name, String description,
            String currency, boolean custom, List<Charge> charges, Map<String, Object> limits, String createdBy) {
        return c.preparedQuery("INSERT INTO plan AS p (key, version, name, description, currency, custom, charges, limits,"
                + " created_by) VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8::text::jsonb, $9) RETURNING " + COLUMNS)
                .execute(Sql.tuple(key, version, name, description, currency, custom, write(charges), write(limits),
                        createdBy))
                .map(rows -> map(rows.iterator().next()));
    }

    /** The latest version of every plan. */
    public Uni<List<Plan>> listLatest(SqlClient c) {
        return c.query("SELECT DISTINCT ON (p.key) " + COLUMNS + " FROM plan p ORDER BY p.key, p.version DESC").execute()
                .map(rows -> Sql.list(rows, this::map));
    }

    public Uni<Optional<Plan>> latest(SqlClient c, String key) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM plan p WHERE p.key = $1 ORDER BY p.version DESC LIMIT 1")
                .execute(Tuple.of(key))
                .map(rows -> Sql.first(rows, this::map));
    }

    public Uni<List<FeeRule>> feeRules(SqlClient c) {
        return c.query("SELECT key, description, basis_meter, rate, currency FROM fee_rule ORDER BY key").execute()
                .map(rows -> Sql.list(rows, r -> new FeeRule(r.getString("key"), r.getString("description"),
                        r.getString("basis_meter"), r.getBigDecimal("rate"), r.getString("currency"))));
    }

    Plan map(Row r) {
        try {
            return new Plan(r.getLong("id"), r.getString("key"), r.getInteger("version"), r.getString("name"),
                    r.getString("description"), Currency.getInstance(r.getString("currency").strip()),
                    r.getBoolean("custom"), json.readValue(r.getString("charges"), CHARGES),
                    json.readValue(r.getString("limits"), LIMITS), Sql.instant(r, "created_at"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plan " + r.getString("key") + " has unreadable charges", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
