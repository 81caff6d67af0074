package io.defensebuilders.billing.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.defensebuilders.platform.events.ConsumerLoopConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the billing service ({@code dbp.billing.*}). */
@ConfigMapping(prefix = "dbp.billing")
public interface BillingConfig {

    /** The usage.v1 consumer. */
    Ingest ingest();

    /** The deduplication ledger. */
    Dedup dedup();

    /** The usage query. */
    Usage usage();

    /** Drafting and issuing invoices. */
    Invoicing invoicing();

    /** The usage consumer: what it reads and how; the loop's common settings are {@link ConsumerLoopConfig}'s. */
    interface Ingest extends ConsumerLoopConfig {
        /** Topic the usage events arrive on. */
        @WithDefault("usage.v1")
        String topic();

        /** Topic events that cannot be metered go to, with the reason in the {@code dead-letter-reason} header. */
        @WithDefault("usage.v1.dlq")
        String deadLetterTopic();

        /** Kafka consumer group; every billing replica shares it, partitions are spread over them. */
        @WithDefault("billing")
        String groupId();
    }

    interface Dedup {
        /** Days an event's (source, id) is remembered; redeliveries within it are recognised. At least 32. */
        @WithDefault("32")
        @Min(32)
        int retentionDays();

        /** How often the purge runs (a duration such as {@code 10m}, or {@code off}). */
        @WithDefault("10m")
        String purgeEvery();

        /** Rows deleted per purge statement, so the purge never holds long locks. */
        @WithDefault("10000")
        @Min(1)
        int purgeBatchSize();

        /** Most purge statements per run; the rest waits for the next run. */
        @WithDefault("500")
        @Min(1)
        int purgeMaxBatches();
    }

    interface Usage {
        /** Most windows one usage query may span (10080 = 7 days of minutes). */
        @WithDefault("10080")
        @Min(1)
        int maxWindows();
    }

    interface Invoicing {
        /**
         * How often the invoicing job drafts closed periods, refreshes drafts and issues those past grace ({@code off} to
         * disable).
         */
        @WithDefault("5m")
        String every();

        /** How long after start the invoicing job first runs (read by the schedule itself). */
        @WithDefault("1m")
        String firstRunAfter();

        /** How long a closed period's draft stays open for late events before it is issued. */
        @WithDefault("72h")
        Duration grace();

        /** How many issued periods back late events are looked for and billed as adjustments. */
        @WithDefault("3")
        @Min(1)
        @Max(24)
        int lookbackPeriods();
    }
}
