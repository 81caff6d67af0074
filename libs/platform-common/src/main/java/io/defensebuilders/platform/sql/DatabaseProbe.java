package io.defensebuilders.platform.sql;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;

/**
 * Readiness of a service that needs its database: a connection of its own, outside the pool (a pool busy with slow
 * calls is not an unreachable database), asks {@code SELECT 1} every {@code dbp.db.probe-interval}; no answer within
 * {@code dbp.db.probe-timeout} makes the service not ready, so Kubernetes takes it out of rotation instead of
 * restarting it (liveness does not look at the database), and the first answer makes it ready again. A connection
 * that stopped answering is dropped and a new one opened. The switch is logged once each way and shown by the gauge
 * {@code dbp.db.reachable}. Answers instantly: it reports the last check, never waits for one.
 */
@Readiness
@Singleton
public class DatabaseProbe implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(DatabaseProbe.class);

    private final Vertx vertx;
    private final DatabaseConfig config;
    private final BoundedPoolCreator creator;
    private final Pool pool;
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean checkedOnce;
    private volatile PgConnection connection;
    private volatile long timer = -1;

    public DatabaseProbe(Vertx vertx, DatabaseConfig config, BoundedPoolCreator creator, Pool pool, MeterRegistry meters) {
        this.vertx = vertx;
        this.config = config;
        this.creator = creator;
        this.pool = pool;
        meters.gauge("dbp.db.reachable", reachable, r -> r.get() ? 1 : 0);
    }

    void start(@Observes StartupEvent event) {
        pool.size(); // the pool, and so its connect options, exist from here on
        probe();
        timer = vertx.setPeriodic(config.probeInterval().toMillis(), id -> probe());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        PgConnection c = connection;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database");
        if (!checkedOnce || reachable.get()) {
            return response.up().build();
        }
        return response.down().withData("reason", String.valueOf(lastFailure.get())).build();
    }

    public boolean reachable() {
        return reachable.get();
    }

    private void probe() {
        if (!running.compareAndSet(false, true)) {
            return; // the previous check is still waiting; its timeout decides
        }
        long limit = config.probeTimeout().toMillis();
        Promise<Void> done = Promise.promise();
        long deadline = vertx.setTimer(limit, id -> done.tryFail("no answer within " + limit + " ms"));
        connection().compose(c -> c.query("SELECT 1").execute()).onComplete(ar -> {
            if (ar.succeeded()) {
                done.tryComplete();
            } else {
                done.tryFail(ar.cause().getMessage() == null ? ar.cause().toString() : ar.cause().getMessage());
            }
        });
        done.future().onComplete(ar -> {
            vertx.cancelTimer(deadline);
            checkedOnce = true;
            if (ar.succeeded()) {
                if (reachable.compareAndSet(false, true)) {
                    LOG.info("the database answers again: ready");
                }
            } else {
                lastFailure.set(ar.cause().getMessage());
                PgConnection stuck = connection;
                connection = null;
                if (stuck != null) {
                    stuck.close(); // it may be waiting for an answer that never comes
                }
                if (reachable.compareAndSet(true, false)) {
                    LOG.warnf("the database does not answer (%s): not ready, and calls that need it answer 503 "
                            + "until it does", ar.cause().getMessage());
                }
            }
            running.set(false);
        });
    }

    private Future<PgConnection> connection() {
        PgConnection c = connection;
        if (c != null) {
            return Future.succeededFuture(c);
        }
        PgConnectOptions options = new PgConnectOptions(creator.connectOptions().get(0))
                .setConnectTimeout((int) config.probeTimeout().toMillis());
        return PgConnection.connect(vertx, options).onSuccess(opened -> {
            if (running.get() && connection == null) {
                connection = opened;
                opened.closeHandler(v -> {
                    if (connection == opened) {
                        connection = null;
                    }
                });
            } else {
                opened.close();
            }
        });
    }
}
