package io.defensebuilders.registry.service;

import java.util.List;
import java.util.Map;

import io.defensebuilders.registry.EnvironmentTemplate;
import io.defensebuilders.registry.Visibility;

/**
 * Everything resolution needs about one SDK, small enough to cache whole: its owner and visibility, its dist-tags
 * and a line per version.
 */
public record VersionIndex(String name, String tenant, Visibility visibility, String latest, Map<String, String> tags,
        List<Entry> versions) {

    /** One version as resolution sees it. */
    public record Entry(String version, boolean yanked, String deprecationMessage, String image, String imageDigest,
            EnvironmentTemplate environmentTemplate, String integrity) {
    }

    public boolean visibleTo(String callerTenant) {
        return visibility == Visibility.PUBLIC || tenant.equals(callerTenant);
    }
}
