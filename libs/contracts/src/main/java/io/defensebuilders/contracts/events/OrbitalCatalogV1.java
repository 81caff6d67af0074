package io.defensebuilders.contracts.events;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Payload of {@code orbital.catalog.v1} (CloudEvent type {@value #ELEMENT_SET_INGESTED}): the orbital catalog stored
 * a new element set. One event per element set, in the transaction that stored it; re-ingesting an element set the
 * catalog already holds (same NORAD id and epoch) emits nothing.
 *
 * @param tenant tenant that ingested it
 * @param noradId NORAD catalog number
 * @param elementSetId the catalog's id of the element set
 * @param epoch epoch of the element set (UTC)
 * @param current whether it became the object's current element set (the newest epoch) when it was stored
 * @param objectName object name, when the input named it
 * @param format input format: {@code tle}, {@code omm-kvn}, {@code omm-xml} or {@code omm-json}
 * @param occurredAt when it was stored
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrbitalCatalogV1(String tenant, int noradId, String elementSetId, Instant epoch, boolean current,
        String objectName, String format, Instant occurredAt) {

    public static final String ELEMENT_SET_INGESTED = "io.defensebuilders.orbital.v1.element-set.ingested";

    public OrbitalCatalogV1 {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(elementSetId, "elementSetId");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
