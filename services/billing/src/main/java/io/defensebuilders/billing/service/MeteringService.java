package io.defensebuilders.billing.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.defensebuilders.billing.BatchAggregates;
import io.defensebuilders.billing.MeterSet;
import io.defensebuilders.billing.UsageEvent;
import io.defensebuilders.billing.repository.MeteringStore;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * Meters one batch of usage events in one database transaction: the events seen for the first time (by their
 * (source, id)) are recorded in the deduplication ledger and folded into the minute buckets, all or nothing. The
 * caller commits the Kafka offsets only after this returns, so a crash at any point either leaves no trace of the
 * batch or leaves its ledger rows, which make the redelivery a no-op.
 */
@ApplicationScoped
public class MeteringService {

    private static final Logger LOG = Logger.getLogger(MeteringService.class);

    private final DataSource dataSource;
    private final MeteringStore store;

    public MeteringService(DataSource dataSource, MeteringStore store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    /** An event at a position of the batch. */
    public record Positioned(int position, UsageEvent event) {
    }

    /** A rejected event: its position in the batch and why. */
    public record Rejected(int position, String reason) {
    }

    /**
     * What a batch did.
     *
     * @param accepted new events metered by at least one meter
     * @param ignored new events no meter matches (recorded in the ledger, aggregated nowhere)
     * @param duplicates events already seen, in an earlier batch or earlier in this one
     * @param rejected events a meter could not read, for the dead-letter topic
     */
    public record Outcome(int accepted, int ignored, int duplicates, List<Rejected> rejected) {
    }

    /**
     * Meters the events in one transaction. Should the database refuse the batch for its data (SQLSTATE classes 22,
     * 23, 54: something the shape checks did not foresee), the events are metered one transaction each and those it
     * refuses are rejected with its reason, so one bad event can never hold the consumer up. Any other failure (the
     * database away, a deadlock) is thrown, and the caller retries the batch.
     */
    @WithSpan("billing.meter-batch")
    public Outcome meter(List<Positioned> events) throws SQLException {
        try {
            return inOneTransaction(events);
        } catch (SQLException e) {
            if (!refusesData(e)) {
                throw e;
            }
            LOG.warnf("the database refused a batch of %d usage events (%s: %s); metering them one by one",
                    events.size(), e.getSQLState(), e.getMessage());
            return oneByOne(events);
        }
    }

    private Outcome oneByOne(List<Positioned> events) throws SQLException {
        int accepted = 0;
        int ignored = 0;
        int duplicates = 0;
        List<Rejected> rejected = new ArrayList<>();
        for (Positioned p : events) {
            try {
                Outcome o = inOneTransaction(List.of(p));
                accepted += o.accepted();
                ignored += o.ignored();
                duplicates += o.duplicates();
                rejected.addAll(o.rejected());
            } catch (SQLException e) {
                if (!refusesData(e)) {
                    throw e;
                }
                rejected.add(new Rejected(p.position(), "the database refused the event: " + e.getMessage()));
            }
        }
        return new Outcome(accepted, ignored, duplicates, rejected);
    }

    /** Data exceptions, integrity violations, program limits (e.g. an index row too large): retrying cannot help. */
    static boolean refusesData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    private Outcome inOneTransaction(List<Positioned> events) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Outcome outcome = meter(c, events);
                c.commit();
                return outcome;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            }
        }
    }

    private Outcome meter(Connection c, List<Positioned> events) throws SQLException {
        // meters are read in the batch's own transaction: every event of a batch sees the same catalog
        MeterSet meters = new MeterSet(store.liveMeters(c));
        List<Rejected> rejected = new ArrayList<>();
        Map<UsageEvent.Key, Candidate> firsts = new LinkedHashMap<>();
        int duplicates = 0;
        for (Positioned p : events) {
            List<MeterSet.Contribution> contributions;
            try {
                contributions = meters.contributions(p.event());
            } catch (MeterSet.Rejection r) {
                rejected.add(new Rejected(p.position(), r.getMessage()));
                continue;
            }
            if (firsts.putIfAbsent(p.event().key(), new Candidate(p.event(), contributions)) != null) {
                duplicates++;
            }
        }
        List<UsageEvent.Key> keys = new ArrayList<>(firsts.keySet());
        keys.sort(null);
        Set<UsageEvent.Key> fresh = store.insertNew(c, keys);
        duplicates += keys.size() - fresh.size();

        BatchAggregates aggregates = new BatchAggregates();
        int accepted = 0;
        int ignored = 0;
        for (Candidate candidate : firsts.values()) {
            if (!fresh.contains(candidate.event().key())) {
                continue;
            }
            if (candidate.contributions().isEmpty()) {
                ignored++;
                continue;
            }
            accepted++;
            for (MeterSet.Contribution contribution : candidate.contributions()) {
                aggregates.add(candidate.event(), contribution);
            }
        }
        store.upsertBuckets(c, aggregates.buckets());
        store.insertDistincts(c, aggregates.distincts());
        return new Outcome(accepted, ignored, duplicates, rejected);
    }

    private record Candidate(UsageEvent event, List<MeterSet.Contribution> contributions) {
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
