package io.defensebuilders.platform.nativeimage;

import io.defensebuilders.contracts.events.BillingV1;
import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.EnvironmentsV1;
import io.defensebuilders.contracts.events.IntegrationsV1;
import io.defensebuilders.contracts.events.OrbitalCatalogV1;
import io.defensebuilders.contracts.events.OrbitalCcdmV1;
import io.defensebuilders.contracts.events.OrbitalConjunctionsV1;
import io.defensebuilders.contracts.events.OrbitalElementsV1;
import io.defensebuilders.contracts.events.OrbitalManeuversV1;
import io.defensebuilders.contracts.events.RegistryV1;
import io.defensebuilders.contracts.events.UsageV1;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for reflection that Quarkus cannot see used: the event contracts, which
 * {@link io.defensebuilders.platform.events.CloudEventCodec} reads and writes with Jackson outside any REST endpoint
 * (Quarkus registers the types of REST bodies itself). Nested types (e.g. a contract's items) are kept too. Without
 * this a native service would send and read events with empty data. Only the {@code -Pnative} build needs it.
 */
@RegisterForReflection(ignoreNested = false, targets = { CloudEvent.class, EnvironmentsV1.class, OrbitalCatalogV1.class,
        OrbitalCcdmV1.class, OrbitalConjunctionsV1.class, OrbitalElementsV1.class, OrbitalManeuversV1.class,
        RegistryV1.class, UsageV1.class, IntegrationsV1.class, BillingV1.class })
final class EventContracts {

    private EventContracts() {
    }
}
