package io.defensebuilders.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Payload of {@code orbital.ccdm.v1} (CloudEvent type {@value #ASSESSMENT_CHANGED}): an object's CCDM assessment
 * changed (its threat level, or the set of indicators raised). The event id is the assessment's id.
 *
 * @param tenant tenant whose ingest or request produced the assessment (catalog data is shared)
 * @param assessmentId the assessment's id
 * @param objectId the catalog's id of the object (its NORAD id as text)
 * @param noradId NORAD catalog number
 * @param objectName its name, if known
 * @param epoch epoch of the newest element set assessed
 * @param ccdmType MANEUVERING, DECEPTION, CONCEALMENT or NONE: the category of the strongest indicator
 * @param threatLevel NONE, LOW, MEDIUM, HIGH or CRITICAL
 * @param confidence combined confidence of the indicators, 1 − Π(1 − cᵢ)
 * @param previousThreatLevel the level before this change (absent for a first assessment)
 * @param indicators the indicators: {@code type} (UNEXPECTED_MANEUVER, PROXIMITY_OPERATION,
 *        ORBITAL_PARAMETER_INCONSISTENCY, PATTERN_OF_LIFE_VIOLATION), {@code ccdmType}, {@code confidence},
 *        {@code summary} and {@code evidence}
 * @param occurredAt when it was assessed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrbitalCcdmV1(String tenant, String assessmentId, String objectId, int noradId, String objectName,
        Instant epoch, String ccdmType, String threatLevel, double confidence, String previousThreatLevel,
        List<Map<String, Object>> indicators, Instant occurredAt) {

    public static final String ASSESSMENT_CHANGED = "io.defensebuilders.orbital.v1.ccdm.assessment-changed";

    public OrbitalCcdmV1 {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(assessmentId, "assessmentId");
        Objects.requireNonNull(threatLevel, "threatLevel");
        Objects.requireNonNull(occurredAt, "occurredAt");
        indicators = indicators == null ? List.of() : List.copyOf(indicators);
    }
}
