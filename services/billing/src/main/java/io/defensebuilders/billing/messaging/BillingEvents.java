package io.defensebuilders.billing.messaging;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.billing.Invoice;
import io.defensebuilders.billing.pricing.BillingPeriod;
import io.defensebuilders.contracts.events.BillingV1;
import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.platform.events.Outbox;
import io.defensebuilders.platform.sql.Sql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * {@code billing.v1} through the outbox: an invoice issued (in the transaction that numbers it), a metered plan limit
 * 80 % used or reached (once per tenant, feature, period and threshold; {@code limit_warning} remembers). Event ids
 * are derived from what they report, so a retried transaction sends the same event.
 */
@ApplicationScoped
public class BillingEvents {

    /** The thresholds warned about, in percent of the limit. */
    static final int NEAR = 80;
    static final int REACHED = 100;
    private static final Logger LOG = Logger.getLogger(BillingEvents.class);
    private static final String SOURCE = "/services/billing";
    private final Outbox outbox;
    private final Pool pool;
    /** Warnings this replica knows were sent: the check path asks the database at most once each. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public BillingEvents(Outbox outbox, Pool pool) {
        this.outbox = outbox;
        this.pool = pool;
    }

    /** The invoice's event, in {@code tx}: the transaction that issues it. */
    public Uni<Void> invoiceIssued(SqlClient tx, Invoice draft, String number, BigDecimal total, Instant at) {
        BillingV1 data = new BillingV1(draft.tenant(), draft.id().toString(), number, draft.periodStart(),
                draft.periodEnd(), draft.currency(), total, null, null, null, null, null, at);
        return outbox.append(tx, Topics.BILLING_V1, CloudEvent.of(id("invoice-issued:" + draft.id()), SOURCE,
                BillingV1.INVOICE_ISSUED, draft.tenant(), number, at, data));
    }

    /**
     * Warns once when {@code wanted} of {@code limit} crosses 80 % or 100 % in the period; never fails the caller
     * (an entitlement check): a warning that cannot be written now is written by a later check.
     */
    public Uni<Void> limitUsed(String tenant, String feature, String plan, long limit, long wanted, BillingPeriod period) {
        if (limit <= 0 || wanted * 100 < (long) NEAR * limit) {
            return Uni.createFrom().voidItem();
        }
        int percent = wanted >= limit ? REACHED : NEAR;
        String key = tenant + "|" + feature + "|" + period.start() + "|" + percent;
        if (warned.contains(key)) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        BillingV1 data = new BillingV1(tenant, null, null, period.start(), period.end(), null, null, feature, plan,
                limit, Math.min(wanted, limit), percent, now);
        CloudEvent<BillingV1> event = CloudEvent.of(id("limit:" + key), SOURCE, BillingV1.LIMIT_NEAR, tenant, feature,
                now, data);
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO limit_warning (tenant, feature, period_start,"
                + " percent) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                .execute(Sql.tuple(tenant, feature, period.start(), percent))
                .chain(rows -> rows.rowCount() == 1 ? outbox.append(tx, Topics.BILLING_V1, event)
                        : Uni.createFrom().voidItem()))
                .invoke(() -> {
                    if (warned.size() > 100_000) {
                        warned.clear();
                    }
                    warned.add(key);
                })
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("cannot record the %d %% warning of %s for %s now: %s", percent, feature, tenant, e);
                    return Uni.createFrom().voidItem();
                });
    }

    private static String id(String fact) {
        return UUID.nameUUIDFromBytes(fact.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
