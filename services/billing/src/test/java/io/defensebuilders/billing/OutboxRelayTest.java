package io.defensebuilders.billing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.defensebuilders.platform.events.OutboxRelay;
import io.quarkus.test.junit.QuarkusTest;

/** Billing's events (billing.v1: invoices issued, limits near) leave through the outbox, so its relay runs. */
@QuarkusTest
class OutboxRelayTest {

    @Inject
    OutboxRelay relay;

    @Test
    void billingRelaysItsOutbox() {
        assertTrue(relay.relaying());
    }
}
