package io.defensebuilders.analytics.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.defensebuilders.platform.events.ConsumerLoopConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the analytics service ({@code dbp.analytics.*}). */
@ConfigMapping(prefix = "dbp.analytics")
public interface AnalyticsConfig {

    /** The consumer of every platform topic. */
    Ingest ingest();

    /** How long raw events and rollups are kept. */
    Retention retention();

    /** What each event type contributes to the rollups beyond its tenant and type, keyed by CloudEvents type. */
    Map<String, EventType> types();

    /** The query API. */
    Query query();

    /** The event consumer: what it reads and how; the loop's common settings are {@link ConsumerLoopConfig}'s. */
    interface Ingest extends ConsumerLoopConfig {
        /** Regular expression of the topics consumed; topics created later are picked up at the next metadata refresh. */
        @WithDefault("usage\\.v1|registry\\.v1|environments\\.v1|integrations\\.v1|orbital\\.[a-z0-9-]+\\.v1")
        String topics();

        /** Kafka consumer group; every analytics replica shares it. */
        @WithDefault("analytics")
        String groupId();

        /** How far ahead of the wall clock an event's time may lie; later ones are rejected. */
        @WithDefault("1d")
        Duration maxFuture();
    }

    interface Retention {
        /** UTC days of raw events kept (today included); older day partitions are dropped and older events rejected. */
        @WithDefault("30")
        @Min(1)
        @Max(3650)
        int rawDays();

        /** Days minute rollups are kept; at least raw-days, so late events always find their minutes. */
        @WithDefault("35")
        @Min(1)
        int minuteDays();

        /** Days hour rollups are kept. */
        @WithDefault("400")
        @Min(1)
        int hourDays();

        /** Days day rollups are kept. */
        @WithDefault("3650")
        @Min(1)
        int dayDays();

        /** How often partitions are created ahead and old data is dropped ({@code off} to disable). */
        @WithDefault("1h")
        String every();
    }

    interface EventType {
        /**
         * Paths into {@code data} (dot-separated, e.g. {@code attributes.route}) whose values become rollup
         * dimensions, queried as {@code data:<path>}. At most four: the rollups' cardinality stays bounded.
         */
        Optional<List<String>> dimensions();

        /** Path into {@code data} of a decimal summed into the {@code value} metric (e.g. {@code quantity}). */
        Optional<String> value();
    }

    interface Query {
        /** Most rows one query answers per page. */
        @WithDefault("10000")
        @Min(1)
        int maxLimit();

        /** Most minute buckets a query may span when it groups by time:minute (10080 = 7 days). */
        @WithDefault("10080")
        @Min(1)
        int maxMinuteBuckets();

        /**
         * Longest a query may run on a database that answers (then 422: narrow the range); on one that stopped
         * answering the wait ends a second later (503 with Retry-After), and while the service's readiness probe finds
         * the database unreachable, queries answer 503 at once.
         */
        @WithDefault("5s")
        Duration timeout();
    }
}
