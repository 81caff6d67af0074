package io.defensebuilders.billing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.platform.events.OutboxRelay;
import io.quarkus.test.junit.QuarkusTest;

/** Billing writes no event outbox, so it does not poll one (every 200 ms, for nothing, before). */
@QuarkusTest
class OutboxRelayTest {

    @Inject
    OutboxRelay relay;

    @Test
    void billingDoesNotPollAnOutboxItNeverWrites() {
        assertFalse(relay.relaying());
    }
}
