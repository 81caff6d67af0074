package io.defensebuilders.analytics.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.analytics.config.AnalyticsConfig;
import io.defensebuilders.analytics.repository.EventStore;

/**
 * The raw table's day partitions: which days may hold events (today and the raw-days - 1 before it), creating a
 * day's partition on demand before the first event of it is written, remembering which exist.
 */
@ApplicationScoped
public class Partitions {

    private final DataSource dataSource;
    private final EventStore store;
    private final int rawDays;
    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

    public Partitions(DataSource dataSource, EventStore store, AnalyticsConfig config) {
        this.dataSource = dataSource;
        this.store = store;
        this.rawDays = config.retention().rawDays();
    }

    public static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    /** The first UTC day kept at {@code now}. */
    public LocalDate firstKeptDay(Instant now) {
        return day(now).minusDays(rawDays - 1L);
    }

    /** The earliest event time accepted at {@code now}: the start of the first kept day. */
    public Instant earliest(Instant now) {
        return firstKeptDay(now).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** Makes sure every day has its partition; each its own autocommitted DDL statement. */
    public void ensure(Collection<LocalDate> days) throws SQLException {
        if (known.containsAll(days)) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            for (LocalDate d : days) {
                if (!known.contains(d)) {
                    store.createPartition(c, d);
                    known.add(d);
                }
            }
        }
    }

    /** Forgets a dropped partition, so a (late, still valid) event of that day would create it again. */
    void forget(LocalDate day) {
        known.remove(day);
    }
}
