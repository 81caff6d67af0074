package io.defensebuilders.billing.messaging;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.Liveness;

import io.defensebuilders.platform.events.ConsumerLoopHealth;

/** Live while the usage consumer's thread runs (or ingest is switched off on this replica). */
@Liveness
@Singleton
public class UsageConsumerHealth extends ConsumerLoopHealth {

    public UsageConsumerHealth(UsageConsumer consumer) {
        super("usage-consumer", consumer);
    }
}
