package io.defensebuilders.platform.events;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.defensebuilders.contracts.events.CloudEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Consumer-side deduplication on ({@code source}, {@code id}). Call {@link #firstDelivery} in the same transaction
 * as the event's effect, and apply the effect only when it answers true: redelivery then changes nothing.
 */
@ApplicationScoped
public class Inbox {

    private final Pool pool;
    private final int retentionDays;

    public Inbox(Pool pool, @ConfigProperty(name = "dbp.inbox.retention-days", defaultValue = "32") int retentionDays) {
        this.pool = pool;
        this.retentionDays = retentionDays;
    }

    /** True the first time this event is seen within the retention window. */
    public Uni<Boolean> firstDelivery(SqlClient tx, CloudEvent<?> event) {
        return tx.preparedQuery("INSERT INTO event_inbox (source, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(event.source(), event.id()))
                .map(result -> result.rowCount() == 1);
    }

    @Scheduled(every = "1h", delayed = "1m", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> forgetOldEvents() {
        return pool.preparedQuery("DELETE FROM event_inbox WHERE received_at < now() - make_interval(days => $1)")
                .execute(Tuple.of(retentionDays)).replaceWithVoid();
    }
}
