package io.defensebuilders.contracts.events;

/** Kafka topic names. The version is part of the name; a breaking payload change gets a new topic. */
public final class Topics {

    /** Metered usage for billing and analytics; payload {@link UsageV1}. */
    public static final String USAGE_V1 = "usage.v1";
    /** usage.v1 records billing cannot meter: original bytes, the reason in the {@code dead-letter-reason} header. */
    public static final String USAGE_V1_DLQ = "usage.v1.dlq";
    /** SDK registry lifecycle; payload {@link RegistryV1}. */
    public static final String REGISTRY_V1 = "registry.v1";
    public static final String ENVIRONMENTS_V1 = "environments.v1";
    /** Invoices issued and plan limits near; payload {@link BillingV1}. */
    public static final String BILLING_V1 = "billing.v1";
    /** GitHub and Slack deliveries a tenant's integrations received; payload {@link IntegrationsV1}. */
    public static final String INTEGRATIONS_V1 = "integrations.v1";
    public static final String NOTIFICATIONS_V1 = "notifications.v1";
    /** Element sets (TLE/3LE or CCSDS OMM text) for the orbital catalog to ingest; payload {@link OrbitalElementsV1}. */
    public static final String ORBITAL_ELEMENTS_V1 = "orbital.elements.v1";
    /** Element sets the orbital catalog has stored; payload {@link OrbitalCatalogV1}. */
    public static final String ORBITAL_CATALOG_V1 = "orbital.catalog.v1";
    public static final String ORBITAL_STATE_VECTORS_V1 = "orbital.state-vectors.v1";
    public static final String ORBITAL_MANEUVERS_V1 = "orbital.maneuvers.v1";
    public static final String ORBITAL_CONJUNCTIONS_V1 = "orbital.conjunctions.v1";
    public static final String ORBITAL_CCDM_V1 = "orbital.ccdm.v1";

    private Topics() {
    }
}
