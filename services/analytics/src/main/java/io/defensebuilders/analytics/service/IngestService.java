package io.defensebuilders.analytics.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.analytics.AnalyticsEvent;
import io.defensebuilders.analytics.BatchRollups;
import io.defensebuilders.analytics.Granularity;
import io.defensebuilders.analytics.repository.EventStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * Ingests one batch of events in one database transaction: the events seen for the first time (by their
 * (source, id)) are recorded in the ledger, stored raw, and added to their minute, hour and day rollups, all or
 * nothing. The caller commits the Kafka offsets only after this returns, so a crash at any point either leaves no
 * trace of the batch or leaves its ledger rows, which make the redelivery a no-op.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);

    private final DataSource dataSource;
    private final EventStore store;
    private final Partitions partitions;
    private final ObjectMapper mapper;

    private final Timer ledgerTimer;
    private final Timer rawTimer;
    private final Timer rollupTimer;

    public IngestService(DataSource dataSource, EventStore store, Partitions partitions, ObjectMapper mapper,
            MeterRegistry registry) {
        this.dataSource = dataSource;
        this.store = store;
        this.partitions = partitions;
        this.mapper = mapper;
        this.ledgerTimer = step(registry, "ledger");
        this.rawTimer = step(registry, "raw");
        this.rollupTimer = step(registry, "rollups");
    }

    private static Timer step(MeterRegistry registry, String step) {
        return Timer.builder("dbp.analytics.ingest.step").description("time of one step of a batch's transaction")
                .tag("step", step).register(registry);
    }

    /** An event at a position of the batch. */
    public record Positioned(int position, AnalyticsEvent event) {
    }

    /** A refused event: its position in the batch and why. */
    public record Rejected(int position, String reason) {
    }

    /**
     * What a batch did.
     *
     * @param accepted new events stored and rolled up
     * @param duplicates events already seen, in an earlier batch or earlier in this one
     * @param rejected events the database refused
     */
    public record Outcome(int accepted, int duplicates, List<Rejected> rejected) {
    }

    /**
     * Ingests the events in one transaction. Should the database refuse the batch for its data (SQLSTATE classes
     * 22, 23, 54: e.g. a NUL character in a string), the events are ingested one transaction each and those it
     * refuses are rejected, so one bad event never holds the consumer up. Any other failure is thrown, and the caller
     * retries the batch.
     */
    @WithSpan("analytics.ingest-batch")
    public Outcome ingest(List<Positioned> events) throws SQLException {
        TreeSet<java.time.LocalDate> days = new TreeSet<>();
        events.forEach(p -> days.add(Partitions.day(p.event().time())));
        partitions.ensure(days);
        try {
            return inOneTransaction(events);
        } catch (SQLException e) {
            if (!refusesData(e)) {
                throw e;
            }
            LOG.warnf("the database refused a batch of %d events (%s: %s); ingesting them one by one", events.size(),
                    e.getSQLState(), e.getMessage());
            return oneByOne(events);
        }
    }

    private Outcome oneByOne(List<Positioned> events) throws SQLException {
        int accepted = 0;
        int duplicates = 0;
        List<Rejected> rejected = new ArrayList<>();
        for (Positioned p : events) {
            try {
                Outcome o = inOneTransaction(List.of(p));
                accepted += o.accepted();
                duplicates += o.duplicates();
            } catch (SQLException e) {
                if (!refusesData(e)) {
                    throw e;
                }
                rejected.add(new Rejected(p.position(), "the database refused the event: " + e.getSQLState()));
            }
        }
        return new Outcome(accepted, duplicates, rejected);
    }

    /** Data exceptions, integrity violations, program limits: retrying cannot help. */
    static boolean refusesData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    private Outcome inOneTransaction(List<Positioned> events) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Outcome outcome = ingest(c, events);
                c.commit();
                return outcome;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
        }
    }

    private Outcome ingest(Connection c, List<Positioned> events) throws SQLException {
        Map<AnalyticsEvent.Key, AnalyticsEvent> firsts = new LinkedHashMap<>();
        int duplicates = 0;
        for (Positioned p : events) {
            if (firsts.putIfAbsent(p.event().key(), p.event()) != null) {
                duplicates++;
            }
        }
        List<AnalyticsEvent.Key> keys = new ArrayList<>(firsts.keySet());
        keys.sort(null);
        long t0 = System.nanoTime();
        Set<AnalyticsEvent.Key> fresh = store.insertNew(c, keys);
        long t1 = System.nanoTime();
        ledgerTimer.record(t1 - t0, TimeUnit.NANOSECONDS);
        duplicates += keys.size() - fresh.size();

        List<AnalyticsEvent> stored = new ArrayList<>(fresh.size());
        List<String> dims = new ArrayList<>(fresh.size());
        BatchRollups rollups = new BatchRollups();
        for (AnalyticsEvent e : firsts.values()) {
            if (fresh.contains(e.key())) {
                String json = json(e.dims());
                stored.add(e);
                dims.add(json);
                rollups.add(e, json);
            }
        }
        long t2 = System.nanoTime();
        store.insertEvents(c, stored, dims);
        long t3 = System.nanoTime();
        rawTimer.record(t3 - t2, TimeUnit.NANOSECONDS);
        for (Granularity g : Granularity.values()) {
            store.upsertRollups(c, g, rollups.of(g));
        }
        rollupTimer.record(System.nanoTime() - t3, TimeUnit.NANOSECONDS);
        return new Outcome(stored.size(), duplicates, List.of());
    }

    private String json(Map<String, String> dims) {
        try {
            return mapper.writeValueAsString(new java.util.TreeMap<>(dims));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
