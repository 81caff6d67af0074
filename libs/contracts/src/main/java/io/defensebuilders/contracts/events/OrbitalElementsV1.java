package io.defensebuilders.contracts.events;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code orbital.elements.v1} (CloudEvent type {@value #TYPE}): element sets for the orbital catalog to
 * ingest, in the same text formats its REST upload takes. Producers on this topic are trusted to write the catalog
 * (Kafka ACLs decide who they are); the catalog records {@code tenant} as the one that ingested each element set.
 *
 * @param tenant tenant the element sets are ingested for
 * @param format {@value #TLE} (TLE or 3LE), {@value #OMM_KVN}, {@value #OMM_XML} or {@value #OMM_JSON}
 * @param content the element sets, as text in that format
 * @param submittedBy who submitted them (user, API key or system id), recorded as the ingesting subject
 * @param occurredAt when they were submitted
 */
public record OrbitalElementsV1(String tenant, String format, String content, String submittedBy,
        Instant occurredAt) {

    public static final String TYPE = "io.defensebuilders.orbital.v1.elements.submitted";
    public static final String TLE = "tle";
    public static final String OMM_KVN = "omm-kvn";
    public static final String OMM_XML = "omm-xml";
    public static final String OMM_JSON = "omm-json";

    public OrbitalElementsV1 {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(content, "content");
    }
}
