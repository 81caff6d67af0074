package io.defensebuilders.orbital;

import java.time.Instant;
import java.util.UUID;

/**
 * An element set as the catalog keeps it: immutable (but for a withdrawal), one per (scope, NORAD id, epoch) among
 * those not withdrawn, with who ingested it.
 *
 * @param id catalog id
 * @param elements the elements
 * @param tenant tenant that ingested it
 * @param ingestedBy subject that ingested it (user, API key, or the Kafka event's submitter)
 * @param ingestedAt when it was stored
 * @param overlayTenant the tenant whose private overlay holds it; null when it is in the shared catalog
 * @param withdrawal its withdrawal; null while it stands
 * @param publishedFrom for a shared copy a platform admin promoted from a tenant's overlay: the original's id
 * @param publishedBy the platform admin who promoted it
 */
public record ElementSetRecord(UUID id, ElementSet elements, String tenant, String ingestedBy, Instant ingestedAt,
        String overlayTenant, Withdrawal withdrawal, UUID publishedFrom, String publishedBy) {

    /** Who withdrew an element set, when and why. */
    public record Withdrawal(Instant at, String tenant, String subject, String reason) {
    }

    /** An element set of the shared catalog that stands. */
    public ElementSetRecord(UUID id, ElementSet elements, String tenant, String ingestedBy, Instant ingestedAt) {
        this(id, elements, tenant, ingestedBy, ingestedAt, null, null, null, null);
    }

    /** A new element set of a scope (the shared catalog when {@code overlayTenant} is null). */
    public ElementSetRecord(UUID id, ElementSet elements, String tenant, String ingestedBy, Instant ingestedAt,
            String overlayTenant) {
        this(id, elements, tenant, ingestedBy, ingestedAt, overlayTenant, null, null, null);
    }

    public boolean shared() {
        return overlayTenant == null;
    }

    public boolean withdrawn() {
        return withdrawal != null;
    }
}
