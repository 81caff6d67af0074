package io.defensebuilders.registry.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.defensebuilders.registry.Sdk;

/**
 * An SDK as a Backstage catalog entity ({@code backstage.io/v1alpha1} Component of type {@code library}), so a
 * platform team can list registry SDKs in its developer portal by registering the URL.
 */
@ApplicationScoped
public class CatalogInfo {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    public String yaml(Sdk sdk) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", sdk.name());
        metadata.put("title", sdk.title());
        if (!sdk.description().isEmpty()) {
            metadata.put("description", sdk.description());
        }
        List<String> tags = new ArrayList<>();
        sdk.categories().forEach(tags::add);
        sdk.tags().stream().map(CatalogInfo::backstageTag).filter(t -> !t.isEmpty() && !tags.contains(t)).forEach(tags::add);
        metadata.put("tags", tags);
        List<Map<String, String>> links = new ArrayList<>();
        if (sdk.homepage() != null) {
            links.add(Map.of("url", sdk.homepage(), "title", "Homepage"));
        }
        if (sdk.repository() != null) {
            links.add(Map.of("url", sdk.repository(), "title", "Source"));
        }
        if (!links.isEmpty()) {
            metadata.put("links", links);
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("defensebuilders.io/sdk", sdk.name());
        annotations.put("defensebuilders.io/license", sdk.license());
        if (sdk.latestVersion() != null) {
            annotations.put("defensebuilders.io/latest-version", sdk.latestVersion());
        }
        if (sdk.repository() != null) {
            annotations.put("backstage.io/source-location", "url:" + sdk.repository());
        }
        metadata.put("annotations", annotations);
        metadata.put("labels", Map.of("defensebuilders.io/visibility", sdk.visibility().dbValue()));

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", "library");
        spec.put("lifecycle", sdk.latestVersion() == null ? "experimental" : "production");
        spec.put("owner", "group:default/" + sdk.publisher());

        Map<String, Object> entity = new LinkedHashMap<>();
        entity.put("apiVersion", "backstage.io/v1alpha1");
        entity.put("kind", "Component");
        entity.put("metadata", metadata);
        entity.put("spec", spec);
        try {
            return YAML.writeValueAsString(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Backstage tags are [a-z0-9:+#] words joined by '-', at most 63 characters. */
    private static String backstageTag(String tag) {
        String cleaned = tag.replaceAll("[^a-z0-9:+#-]", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
        return cleaned.length() > 63 ? cleaned.substring(0, 63) : cleaned;
    }
}
