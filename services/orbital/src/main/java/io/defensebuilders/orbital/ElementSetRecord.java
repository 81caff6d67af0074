package io.defensebuilders.orbital;

import java.time.Instant;
import java.util.UUID;

/**
 * An element set as the catalog keeps it: immutable, one per (NORAD id, epoch), with who ingested it.
 *
 * @param id         catalog id
 * @param elements   the elements
 * @param tenant     tenant that ingested it
 * @param ingestedBy subject that ingested it (user, API key, or the Kafka event's submitter)
 * @param ingestedAt when it was stored
 */
public record ElementSetRecord(UUID id, ElementSet elements, String tenant, String ingestedBy, Instant ingestedAt) {
}
