package io.defensebuilders.analytics.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.defensebuilders.analytics.Granularity;
import io.defensebuilders.analytics.config.AnalyticsConfig;
import io.defensebuilders.analytics.repository.EventStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps the retention: creates today's and tomorrow's raw partitions ahead, drops raw partitions of days before the
 * first kept day, deletes rollup buckets past their retention and forgets ledger entries no redelivery can need.
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    private final DataSource dataSource;
    private final EventStore store;
    private final Partitions partitions;
    private final AnalyticsConfig.Retention config;
    private final Duration ledgerRetention;
    private final Counter droppedPartitions;
    private final Counter purgedRows;

    public RetentionJob(DataSource dataSource, EventStore store, Partitions partitions, AnalyticsConfig config,
            MeterRegistry registry) {
        this.dataSource = dataSource;
        this.store = store;
        this.partitions = partitions;
        this.config = config.retention();
        // an event still inside the raw retention was received at most raw-days + 1 (day rounding) + max-future
        // ago: its ledger entry must outlive that, so a redelivery is still recognised (one day of margin)
        this.ledgerRetention = Duration.ofDays(this.config.rawDays() + 2L).plus(config.ingest().maxFuture());
        // a late event accepted into the raw table must find its minute, hour and day still there
        if (this.config.minuteDays() < this.config.rawDays() || this.config.hourDays() < this.config.minuteDays()
                || this.config.dayDays() < this.config.hourDays()) {
            throw new IllegalArgumentException("dbp.analytics.retention: raw-days (" + this.config.rawDays()
                    + ") <= minute-days (" + this.config.minuteDays() + ") <= hour-days (" + this.config.hourDays()
                    + ") <= day-days (" + this.config.dayDays() + ") must hold");
        }
        this.droppedPartitions = Counter.builder("dbp.analytics.retention.dropped.partitions")
                .description("raw day partitions dropped after the retention").register(registry);
        this.purgedRows = Counter.builder("dbp.analytics.retention.purged.rows")
                .description("rollup and ledger rows deleted after their retention").register(registry);
    }

    void atStartup(@Observes StartupEvent event) {
        scheduled();
    }

    @Scheduled(identity = "analytics-retention", every = "${dbp.analytics.retention.every:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            run(Instant.now());
        } catch (SQLException e) {
            LOG.warnf("retention run failed, the next run retries: %s", e.toString());
        }
    }

    /** What one run did. */
    public record Result(List<LocalDate> droppedDays, long purgedRows) {
    }

    /** One run as of {@code now}. */
    public Result run(Instant now) throws SQLException {
        LocalDate today = Partitions.day(now);
        partitions.ensure(List.of(today, today.plusDays(1)));
        LocalDate first = partitions.firstKeptDay(now);
        List<LocalDate> dropped = new java.util.ArrayList<>();
        long purged = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            for (LocalDate day : store.partitions(c)) {
                if (day.isBefore(first)) {
                    partitions.forget(day);
                    store.dropPartition(c, day);
                    dropped.add(day);
                }
            }
            purged += store.purgeRollups(c, Granularity.MINUTE, startOf(today.minusDays(config.minuteDays() - 1L)));
            purged += store.purgeRollups(c, Granularity.HOUR, startOf(today.minusDays(config.hourDays() - 1L)));
            purged += store.purgeRollups(c, Granularity.DAY, startOf(today.minusDays(config.dayDays() - 1L)));
            purged += store.purgeSeen(c, now.minus(ledgerRetention));
        }
        droppedPartitions.increment(dropped.size());
        purgedRows.increment(purged);
        if (!dropped.isEmpty()) {
            LOG.infof("dropped raw partitions of %s", dropped);
        }
        return new Result(dropped, purged);
    }

    private static Instant startOf(LocalDate day) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
