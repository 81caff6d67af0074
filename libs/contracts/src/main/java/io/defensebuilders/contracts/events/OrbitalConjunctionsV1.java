package io.defensebuilders.contracts.events;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Payload of {@code orbital.conjunctions.v1} (CloudEvent type {@value #CONJUNCTION_FOUND}): a conjunction screening
 * found a close approach. One event per conjunction, written to the outbox in the transaction that stores the
 * screening's results; the event id is the conjunction's id.
 *
 * @param tenant tenant that owns the screening
 * @param screeningId the screening's id
 * @param conjunctionId the conjunction's id
 * @param primaryNoradId NORAD id of the first object (a requested primary when the screening named primaries)
 * @param primaryName its name, if known
 * @param secondaryNoradId NORAD id of the other object
 * @param secondaryName its name, if known
 * @param tca time of closest approach (UTC, millisecond)
 * @param missDistanceKm miss distance at TCA, km
 * @param relativeSpeedKmS relative speed at TCA, km/s
 * @param probability probability of collision (2D, default covariances; see the orbital README)
 * @param occurredAt when the screening finished
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrbitalConjunctionsV1(String tenant, String screeningId, String conjunctionId, int primaryNoradId,
        String primaryName, int secondaryNoradId, String secondaryName, Instant tca, double missDistanceKm,
        double relativeSpeedKmS, double probability, Instant occurredAt) {

    public static final String CONJUNCTION_FOUND = "io.defensebuilders.orbital.v1.conjunction.found";

    public OrbitalConjunctionsV1 {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(screeningId, "screeningId");
        Objects.requireNonNull(conjunctionId, "conjunctionId");
        Objects.requireNonNull(tca, "tca");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
