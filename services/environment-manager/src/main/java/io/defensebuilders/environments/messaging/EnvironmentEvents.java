package io.defensebuilders.environments.messaging;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.EnvironmentsV1;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.Phase;
import io.defensebuilders.platform.events.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes {@code environments.v1} lifecycle events and {@code usage.v1} {@code environment.minutes} through the
 * transactional outbox. Called from the operator's worker threads, so it waits for the database.
 */
@ApplicationScoped
public class EnvironmentEvents {

    public static final String SOURCE = "/services/environment-manager";
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Most minutes one call emits; a longer backlog is finished by the next calls. */
    private static final int MAX_MINUTES = 10_000;

    private final Pool pool;
    private final Outbox outbox;

    public EnvironmentEvents(Pool pool, Outbox outbox) {
        this.pool = pool;
        this.outbox = outbox;
    }

    /**
     * One lifecycle event. {@code fact} names what happened uniquely for this environment (e.g. "ready:" + the
     * instant it became Ready), so a retried reconcile re-sends the same id.
     */
    public void lifecycle(Environment env, String type, Phase phase, String reason, Instant at, String fact) {
        String uid = env.getMetadata().getUid();
        EnvironmentsV1 data = new EnvironmentsV1(env.getSpec().tenant, env.getMetadata().getName(), uid,
                env.getSpec().owner, phase.name(), env.namespace(), reason, at);
        CloudEvent<EnvironmentsV1> event = CloudEvent.of(EventIds.of("environments.v1:" + uid + ":" + fact), SOURCE,
                type, env.getSpec().tenant, env.getMetadata().getName(), at, data);
        pool.withTransaction(tx -> outbox.append(tx, Topics.ENVIRONMENTS_V1, event)).await().atMost(WAIT);
    }

    /**
     * Emits the whole minutes of the Ready period that began at {@code readySince} and that have passed by
     * {@code until} and were not emitted yet; the number emitted. Minute k of a period has the id derived from
     * (uid, readySince, k): emitting it again after a restart or a lost bookkeeping row gives the same id.
     */
    public long countMinutes(Environment env, Instant readySince, Instant until) {
        long complete = Math.max(0, Duration.between(readySince, until).toMinutes());
        String uid = env.getMetadata().getUid();
        OffsetDateTime since = OffsetDateTime.ofInstant(readySince, ZoneOffset.UTC);
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO usage_periods (environment_uid, ready_since,"
                + " tenant, environment) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(uid, since, env.getSpec().tenant, env.getMetadata().getName()))
                .chain(() -> tx.preparedQuery("SELECT minutes_emitted FROM usage_periods WHERE environment_uid = $1"
                        + " AND ready_since = $2 FOR UPDATE").execute(Tuple.of(uid, since)))
                .chain(rows -> {
                    long emitted = 0;
                    for (Row row : rows) {
                        emitted = row.getLong(0);
                    }
                    long to = Math.min(complete, emitted + MAX_MINUTES);
                    if (to <= emitted) {
                        return Uni.createFrom().item(0L);
                    }
                    return emit(tx, env, readySince, emitted, to)
                            .chain(() -> tx.preparedQuery("UPDATE usage_periods SET minutes_emitted = $3, updated_at ="
                                    + " now() WHERE environment_uid = $1 AND ready_since = $2")
                                    .execute(Tuple.of(uid, since, to)))
                            .replaceWith(to - emitted);
                }))
                .await().atMost(WAIT);
    }

    private Uni<Void> emit(SqlConnection tx, Environment env, Instant readySince, long from, long to) {
        String uid = env.getMetadata().getUid();
        String tenant = env.getSpec().tenant;
        List<Uni<Void>> appends = new ArrayList<>();
        for (long k = from; k < to; k++) {
            Instant end = readySince.plus(Duration.ofMinutes(k + 1));
            UsageV1 usage = new UsageV1(tenant, UsageV1.ENVIRONMENT_MINUTES, BigDecimal.ONE, env.getSpec().owner, end,
                    Map.of("environment", env.getMetadata().getName(), "uid", uid));
            String id = EventIds.of("environment.minutes:" + uid + ":" + readySince.toEpochMilli() + ":" + k);
            appends.add(outbox.append(tx, Topics.USAGE_V1,
                    CloudEvent.of(id, SOURCE, UsageV1.TYPE, tenant, env.getMetadata().getName(), end, usage)));
        }
        // sequential: one connection, one statement at a time
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<Void> append : appends) {
            chain = chain.chain(() -> append);
        }
        return chain;
    }
}
