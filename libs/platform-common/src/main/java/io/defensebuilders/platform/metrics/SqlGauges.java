package io.defensebuilders.platform.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Gauges a database query keeps current: {@code sql} (one row) runs every {@code every}, off the request path, and
 * each named column of its row is the value of one gauge, a number (the query coalesces "nothing" to 0). Until the
 * first answer, and while the database does not answer, the gauges are NaN: an alert comparing them stays silent (the
 * database's own alert speaks) rather than judging a value that is no longer true. A scrape never waits for the
 * database.
 */
public final class SqlGauges {

    private static final Logger LOG = Logger.getLogger(SqlGauges.class);

    private final String sql;
    private final Map<String, AtomicReference<Double>> values = new LinkedHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean failing;

    /**
     * Registers one gauge per entry of {@code gauges}: its key is the column of {@code sql}'s row, its value the
     * meter's name and description.
     */
    public SqlGauges(MeterRegistry meters, String sql, Map<String, Map.Entry<String, String>> gauges) {
        this.sql = sql;
        gauges.forEach((column, meter) -> {
            AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
            values.put(column, value);
            Gauge.builder(meter.getKey(), value, AtomicReference::get).description(meter.getValue()).register(meters);
        });
    }

    /** Runs the query now and every {@code every}; the timer's id (for {@link Vertx#cancelTimer}). */
    public long start(Vertx vertx, Pool pool, Duration every) {
        refresh(pool).subscribe().with(x -> {
        }, x -> {
        });
        return vertx.setPeriodic(every.toMillis(), id -> refresh(pool).subscribe().with(x -> {
        }, x -> {
        }));
    }

    /** One refresh; a refresh still running (a slow database) is not joined by a second one. */
    public Uni<Void> refresh(Pool pool) {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return pool.query(sql).execute().ifNoItem().after(Duration.ofSeconds(10)).fail()
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    values.forEach((column, value) -> {
                        Double d = row.getDouble(column);
                        value.set(d == null ? 0.0 : d);
                    });
                    if (failing) {
                        LOG.infof("gauges %s are current again", values.keySet());
                        failing = false;
                    }
                })
                .onFailure().invoke(e -> {
                    values.values().forEach(v -> v.set(Double.NaN));
                    if (!failing) {
                        LOG.warnf("gauges %s cannot be refreshed and read NaN until the database answers: %s",
                                values.keySet(), e.toString());
                        failing = true;
                    }
                })
                .onTermination().invoke(() -> running.set(false))
                .replaceWithVoid();
    }

    /** The current value of the gauge of {@code column} (for tests). */
    public double value(String column) {
        return values.get(column).get();
    }
}
