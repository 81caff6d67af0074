package io.defensebuilders.billing.repository;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.billing.CreditNote;
import io.defensebuilders.billing.Invoice;
import io.defensebuilders.billing.pricing.LineItem;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Invoices, credit notes, the gapless counters and the invoiced-usage snapshots. */
@ApplicationScoped
public class InvoiceRepository {

    private static final String COLUMNS = "i.id, i.tenant, i.subscription_id, i.period_start, i.period_end, i.currency,"
            + " i.status, i.number, i.lines::text AS lines, i.total, i.grace_until, i.created_at, i.issued_at,"
            + " (SELECT coalesce(sum(amount), 0) FROM credit_note cn WHERE cn.invoice_id = i.id) AS credited";
    private static final TypeReference<List<LineItem>> LINES = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public InvoiceRepository(ObjectMapper json) {
        this.json = json;
    }

    /** Creates the period's draft unless it exists (several replicas may try). */
    public Uni<Void> insertDraft(SqlClient c, String tenant, UUID subscription, LocalDate start, LocalDate end,
            String currency, Instant graceUntil) {
        return c.preparedQuery("INSERT INTO invoice (id, tenant, subscription_id, period_start, period_end, currency,"
                + " status, lines, total, grace_until) VALUES ($1, $2, $3, $4, $5, $6, 'DRAFT', '[]', 0, $7)"
                + " ON CONFLICT (subscription_id, period_start) DO NOTHING")
                .execute(Sql.tuple(UUID.randomUUID(), tenant, subscription, start, end, currency, graceUntil))
                .replaceWithVoid();
    }

    /** Ids of the drafts, oldest period first. */
    public Uni<List<UUID>> draftIds(SqlClient c) {
        return c.query("SELECT id FROM invoice WHERE status = 'DRAFT' ORDER BY period_start, id").execute()
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID("id")));
                    return ids;
                });
    }

    /** A draft, locked, or empty when it was issued meanwhile or another replica holds it. */
    public Uni<Optional<Invoice>> lockDraft(SqlClient c, UUID id) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM invoice i WHERE i.id = $1 AND i.status = 'DRAFT'"
                + " FOR UPDATE SKIP LOCKED").execute(Tuple.of(id)).map(this::first);
    }

    public Uni<Void> updateDraft(SqlClient c, UUID id, List<LineItem> lines, BigDecimal total) {
        return c.preparedQuery("UPDATE invoice SET lines = $2::text::jsonb, total = $3, updated_at = now() WHERE id = $1")
                .execute(Sql.tuple(id, write(lines), total)).replaceWithVoid();
    }

    /** The next number of a series: the counter row's increment commits or rolls back with the document. */
    public Uni<Long> nextNumber(SqlClient c, String series) {
        return c.preparedQuery("UPDATE document_counter SET last_number = last_number + 1 WHERE series = $1"
                + " RETURNING last_number").execute(Tuple.of(series))
                .map(rows -> rows.iterator().next().getLong("last_number"));
    }

    public Uni<Void> issue(SqlClient c, UUID id, String number, long seq, List<LineItem> lines, BigDecimal total,
            Instant at) {
        return c.preparedQuery("UPDATE invoice SET status = 'ISSUED', number = $2, seq = $3, lines = $4::text::jsonb,"
                + " total = $5, issued_at = $6, updated_at = now() WHERE id = $1")
                .execute(Sql.tuple(id, number, seq, write(lines), total, at)).replaceWithVoid();
    }

    public Uni<Optional<Invoice>> find(SqlClient c, UUID id, boolean lock) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM invoice i WHERE i.id = $1" + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(id)).map(this::first);
    }

    public Uni<List<Invoice>> list(SqlClient c, String tenant) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM invoice i WHERE i.tenant = $1 ORDER BY i.period_start DESC")
                .execute(Tuple.of(tenant)).map(this::all);
    }

    /** The subscription's issued invoices of periods starting in [from, before). */
    public Uni<List<Invoice>> issued(SqlClient c, UUID subscription, LocalDate from, LocalDate before) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM invoice i WHERE i.subscription_id = $1 AND i.status = 'ISSUED'"
                + " AND i.period_start >= $2 AND i.period_start < $3 ORDER BY i.period_start")
                .execute(Sql.tuple(subscription, from, before)).map(this::all);
    }

    /** The end of the subscription's last invoiced period (draft or issued), if any. */
    public Uni<Optional<LocalDate>> lastInvoicedEnd(SqlClient c, UUID subscription) {
        return c.preparedQuery("SELECT max(period_end) AS e FROM invoice WHERE subscription_id = $1")
                .execute(Tuple.of(subscription)).map(rows -> Optional.ofNullable(rows.iterator().next().getLocalDate("e")));
    }

    /** The end of the subscription's last issued period, if any. */
    public Uni<Optional<LocalDate>> lastIssuedEnd(SqlClient c, UUID subscription) {
        return c.preparedQuery("SELECT max(period_end) AS e FROM invoice WHERE subscription_id = $1 AND status = 'ISSUED'")
                .execute(Tuple.of(subscription)).map(rows -> Optional.ofNullable(rows.iterator().next().getLocalDate("e")));
    }

    /** Meter totals billed so far for an issued period. */
    public Uni<Map<String, BigDecimal>> invoicedUsage(SqlClient c, UUID subscription, LocalDate periodStart) {
        return c.preparedQuery("SELECT meter, quantity FROM invoiced_usage WHERE subscription_id = $1 AND period_start = $2")
                .execute(Sql.tuple(subscription, periodStart)).map(rows -> {
                    Map<String, BigDecimal> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getString("meter"), r.getBigDecimal("quantity")));
                    return out;
                });
    }

    public Uni<Void> recordInvoicedUsage(SqlClient c, UUID subscription, LocalDate periodStart, String meter,
            BigDecimal quantity) {
        return c.preparedQuery("INSERT INTO invoiced_usage (subscription_id, period_start, meter, quantity)"
                + " VALUES ($1, $2, $3, $4) ON CONFLICT (subscription_id, period_start, meter)"
                + " DO UPDATE SET quantity = EXCLUDED.quantity")
                .execute(Sql.tuple(subscription, periodStart, meter, quantity)).replaceWithVoid();
    }

    public Uni<CreditNote> insertCreditNote(SqlClient c, String tenant, UUID invoice, String number, long seq,
            BigDecimal amount, String reason, String by) {
        return c.preparedQuery("INSERT INTO credit_note (id, tenant, invoice_id, number, seq, amount, reason, created_by)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *")
                .execute(Sql.tuple(UUID.randomUUID(), tenant, invoice, number, seq, amount, reason, by))
                .map(rows -> creditNote(rows.iterator().next()));
    }

    public Uni<List<CreditNote>> creditNotes(SqlClient c, String tenant) {
        return c.preparedQuery("SELECT * FROM credit_note WHERE tenant = $1 ORDER BY seq").execute(Tuple.of(tenant))
                .map(rows -> Sql.list(rows, InvoiceRepository::creditNote));
    }

    private static CreditNote creditNote(Row r) {
        return new CreditNote(r.getUUID("id"), r.getString("tenant"), r.getUUID("invoice_id"), r.getString("number"),
                r.getBigDecimal("amount"), r.getString("reason"), Sql.instant(r, "created_at"), r.getString("created_by"));
    }

    private Optional<Invoice> first(RowSet<Row> rows) {
        return Sql.first(rows, this::map);
    }

    private List<Invoice> all(RowSet<Row> rows) {
        return Sql.list(rows, this::map);
    }

    private Invoice map(Row r) {
        try {
            return new Invoice(r.getUUID("id"), r.getString("tenant"), r.getUUID("subscription_id"),
                    r.getLocalDate("period_start"), r.getLocalDate("period_end"), r.getString("currency").strip(),
                    Invoice.Status.valueOf(r.getString("status")), r.getString("number"),
                    json.readValue(r.getString("lines"), LINES), r.getBigDecimal("total"), Sql.instant(r, "grace_until"),
                    Sql.instant(r, "created_at"), Sql.instant(r, "issued_at"), r.getBigDecimal("credited"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("invoice " + r.getUUID("id") + " has unreadable lines", e);
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
