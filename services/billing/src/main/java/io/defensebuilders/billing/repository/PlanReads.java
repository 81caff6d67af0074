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

/**
 * Plan versions (immutable rows) as the SQL use cases read them (subscriptions' phases, invoicing, inside their
 * transactions), and fee rules. The plan catalog itself is written and listed with Panache ({@link PlanRepository}).
 * Charges and limits are stored as JSON, read back exactly.
 */
@ApplicationScoped
public class PlanReads {

    static final String COLUMNS = "p.id, p.key, p.version, p.name, p.description, p.currency, p.custom,"
            + " p.charges::text AS charges, p.limits::text AS limits, p.created_at";
    private static final TypeReference<List<Charge>> CHARGES = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> LIMITS = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public PlanReads(ObjectMapper json) {
        this.json = json;
    }

    /** A fee rule: rate times the period total of the basis meter. */
    public record FeeRule(String key, String description, String basisMeter, java.math.BigDecimal rate, String currency) {
    }

    /** The latest version of a plan (subscribing and changing plan, inside their transactions; entitlements). */
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
        return plan(r.getLong("id"), r.getString("key"), r.getInteger("version"), r.getString("name"),
                r.getString("description"), r.getString("currency"), r.getBoolean("custom"), r.getString("charges"),
                r.getString("limits"), Sql.instant(r, "created_at"));
    }

    /** A plan from its columns, charges and limits as stored (JSON text). */
    Plan plan(long id, String key, int version, String name, String description, String currency, boolean custom,
            String charges, String limits, java.time.Instant createdAt) {
        try {
            return new Plan(id, key, version, name, description, Currency.getInstance(currency.strip()), custom,
                    json.readValue(charges, CHARGES), json.readValue(limits, LIMITS), createdAt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plan " + key + " has unreadable charges", e);
        }
    }

    /** Charges or limits as the JSON text they are stored as. */
    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
