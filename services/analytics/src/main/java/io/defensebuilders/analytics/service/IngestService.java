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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.analytics.AnalyticsEvent;
import io.defensebuilders.analytics.BatchRollups;
import io.defensebuilders.analytics.Granularity;
import io.defensebuilders.analytics.repository.EventStore;
import io.defensebuilders.platform.events.EventKey;
import io.defensebuilders.platform.events.IngestBatches;
import io.defensebuilders.platform.events.IngestBatches.Positioned;
import io.defensebuilders.platform.events.IngestBatches.Rejected;
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

    /**
     * What a batch did.
     *
     * @param accepted new events stored and rolled up
     * @param duplicates events already seen, in an earlier batch or earlier in this one
     * @param rejected events the database refused
     */
    public record Outcome(int accepted, int duplicates, List<Rejected> rejected) implements IngestBatches.Outcome<Outcome> {

        static final Outcome NONE = new Outcome(0, 0, List.of());

        @Override
        public Outcome plus(Outcome o) {
            return new Outcome(accepted + o.accepted, duplicates + o.duplicates, concat(rejected, o.rejected));
        }

        @Override
        public Outcome withRejected(Rejected r) {
            return new Outcome(accepted, duplicates, concat(rejected, List.of(r)));
        }

        private static List<Rejected> concat(List<Rejected> a, List<Rejected> b) {
            if (b.isEmpty()) {
                return a;
            }
            List<Rejected> all = new ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        }
    }

    /**
     * Ingests the events in one transaction; should the database refuse the batch for its data (e.g. a NUL character
     * in a string), one transaction an event ({@link IngestBatches}). Any other failure is thrown, and the caller
     * retries the batch.
     */
    @WithSpan("analytics.ingest-batch")
    public Outcome ingest(List<Positioned<AnalyticsEvent>> events) throws SQLException {
        TreeSet<java.time.LocalDate> days = new TreeSet<>();
        events.forEach(p -> days.add(Partitions.day(p.event().time())));
        partitions.ensure(days);
        return IngestBatches.write(dataSource, events, Outcome.NONE, "events", this::ingest);
    }

    private Outcome ingest(Connection c, List<Positioned<AnalyticsEvent>> events) throws SQLException {
        Map<EventKey, AnalyticsEvent> firsts = new LinkedHashMap<>();
        int duplicates = 0;
        for (Positioned<AnalyticsEvent> p : events) {
            if (firsts.putIfAbsent(p.event().key(), p.event()) != null) {
                duplicates++;
            }
        }
        List<EventKey> keys = new ArrayList<>(firsts.keySet());
        keys.sort(null);
        long t0 = System.nanoTime();
        Set<EventKey> fresh = store.insertNew(c, keys);
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
