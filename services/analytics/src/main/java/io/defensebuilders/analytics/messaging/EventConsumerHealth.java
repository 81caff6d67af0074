package io.defensebuilders.analytics.messaging;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.Liveness;

import io.defensebuilders.platform.events.ConsumerLoopHealth;

/** Live while the event consumer's thread runs (or ingest is switched off on this replica). */
@Liveness
@Singleton
public class EventConsumerHealth extends ConsumerLoopHealth {

    public EventConsumerHealth(EventConsumer consumer) {
        super("event-consumer", consumer);
    }
}
