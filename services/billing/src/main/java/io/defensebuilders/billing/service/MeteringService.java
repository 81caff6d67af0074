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

import io.defensebuilders.billing.BatchAggregates;
import io.defensebuilders.billing.MeterSet;
import io.defensebuilders.billing.UsageEvent;
import io.defensebuilders.billing.repository.MeteringStore;
import io.defensebuilders.platform.events.EventKey;
import io.defensebuilders.platform.events.IngestBatches;
import io.defensebuilders.platform.events.IngestBatches.Positioned;
import io.defensebuilders.platform.events.IngestBatches.Rejected;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * Meters one batch of usage events in one database transaction: the events seen for the first time (by their
 * (source, id)) are recorded in the deduplication ledger and folded into the minute buckets, all or nothing. The
 * caller commits the Kafka offsets only after this returns, so a crash at any point either leaves no trace of the
 * batch or leaves its ledger rows, which make the redelivery a no-op.
 */
@ApplicationScoped
public class MeteringService {

    private final DataSource dataSource;
    private final MeteringStore store;

    public MeteringService(DataSource dataSource, MeteringStore store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    /**
     * What a batch did.
     *
     * @param accepted new events metered by at least one meter
     * @param ignored new events no meter matches (recorded in the ledger, aggregated nowhere)
     * @param duplicates events already seen, in an earlier batch or earlier in this one
     * @param rejected events a meter could not read or the database refused, for the dead-letter topic
     */
    public record Outcome(int accepted, int ignored, int duplicates, List<Rejected> rejected)
            implements
                IngestBatches.Outcome<Outcome> {

        static final Outcome NONE = new Outcome(0, 0, 0, List.of());

        @Override
        public Outcome plus(Outcome o) {
            List<Rejected> all = new ArrayList<>(rejected);
            all.addAll(o.rejected);
            return new Outcome(accepted + o.accepted, ignored + o.ignored, duplicates + o.duplicates, all);
        }

        @Override
        public Outcome withRejected(Rejected r) {
            return plus(new Outcome(0, 0, 0, List.of(r)));
        }
    }

    /**
     * Meters the events in one transaction; should the database refuse the batch for its data (something the shape
     * checks did not foresee), one transaction an event, and those it refuses are rejected with its reason
     * ({@link IngestBatches}). Any other failure (the database away, a deadlock) is thrown, and the caller retries the
     * batch.
     */
    @WithSpan("billing.meter-batch")
    public Outcome meter(List<Positioned<UsageEvent>> events) throws SQLException {
        return IngestBatches.write(dataSource, events, Outcome.NONE, "usage events", this::meter);
    }

    private Outcome meter(Connection c, List<Positioned<UsageEvent>> events) throws SQLException {
        // meters are read in the batch's own transaction: every event of a batch sees the same catalog
        MeterSet meters = new MeterSet(store.liveMeters(c));
        List<Rejected> rejected = new ArrayList<>();
        Map<EventKey, Candidate> firsts = new LinkedHashMap<>();
        int duplicates = 0;
        for (Positioned<UsageEvent> p : events) {
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
        List<EventKey> keys = new ArrayList<>(firsts.keySet());
        keys.sort(null);
        Set<EventKey> fresh = store.insertNew(c, keys);
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
}
