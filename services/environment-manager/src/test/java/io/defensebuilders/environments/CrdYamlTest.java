package io.defensebuilders.environments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.crdv2.generator.CRDGenerator;

/**
 * The CRD committed under deploy/k8s/crds is exactly what fabric8's generator makes of the Java types, and every
 * sample manifest validates against its openAPIV3Schema. Regenerate with {@code -Dcrd.write=true}.
 */
class CrdYamlTest {

    static final Path DEPLOY = Path.of("../../deploy/k8s");
    static final String CRD_FILE = "environments.environments.defensebuilders.io-v1.yml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void committedCrdMatchesTheJavaTypes(@TempDir Path out) throws IOException {
        new CRDGenerator().inOutputDir(out.toFile()).forCRDVersions("v1").customResourceClasses(Environment.class)
                .generate();
        String generated = withSyncWave(Files.readString(out.resolve(CRD_FILE)));
        Path committed = DEPLOY.resolve("crds").resolve(CRD_FILE);
        if (Boolean.getBoolean("crd.write")) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, generated);
        }
        assertTrue(Files.exists(committed), "commit the generated CRD: run CrdYamlTest with -Dcrd.write=true");
        assertEquals(generated, Files.readString(committed),
                "deploy/k8s/crds is stale: regenerate it with -Dcrd.write=true and commit it");
    }

    /**
     * The generated CRD with Argo CD's sync wave -2: applied before everything else the chart makes (argocd/: the CRD,
     * then the evaluation data services at -1, then the fleet at 0).
     */
    static String withSyncWave(String generated) {
        String name = "  name: \"environments.environments.defensebuilders.io\"\n";
        assertTrue(generated.contains(name), "the generator names the CRD otherwise");
        return generated.replace(name, name + "  annotations:\n    argocd.argoproj.io/sync-wave: \"-2\"\n");
    }

    @Test
    void crdHasThePrinterColumnsAndStatusSubresource() throws IOException {
        JsonNode version = crd().path("spec").path("versions").get(0);
        assertEquals("v1alpha1", version.path("name").asText());
        assertTrue(version.path("subresources").has("status"));
        List<String> columns = version.path("additionalPrinterColumns").findValuesAsText("name");
        assertEquals(java.util.Set.of("Phase", "Tenant", "Age", "Expires"), java.util.Set.copyOf(columns));
        assertEquals("Cluster", crd().path("spec").path("scope").asText());
    }

    @Test
    void everySampleValidatesAgainstTheSchema() throws IOException {
        JsonNode schema = schema();
        List<Path> samples;
        try (Stream<Path> files = Files.list(DEPLOY.resolve("samples"))) {
            samples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(samples.isEmpty(), "deploy/k8s/samples holds sample Environments");
        for (Path sample : samples) {
            JsonNode doc = YAML.readTree(sample.toFile());
            assertEquals("environments.defensebuilders.io/v1alpha1", doc.path("apiVersion").asText(), sample.toString());
            assertEquals("Environment", doc.path("kind").asText(), sample.toString());
            List<String> errors = SchemaCheck.validate(schema.path("properties").path("spec"), doc.path("spec"), "spec");
            assertEquals(List.of(), errors, sample + " does not match the CRD schema");
        }
    }

    @Test
    void schemaRejectsBadSpecs() throws IOException {
        JsonNode spec = schema().path("properties").path("spec");
        JsonNode missingTenant = YAML.readTree("owner: alice\n");
        assertTrue(SchemaCheck.validate(spec, missingTenant, "spec").contains("spec.tenant: required"));
        JsonNode badDuration = YAML.readTree("tenant: acme\nowner: alice\nttl: 5 minutes\n");
        assertFalse(SchemaCheck.validate(spec, badDuration, "spec").isEmpty());
        JsonNode badNetwork = YAML.readTree("tenant: acme\nowner: alice\nnetwork: open\n");
        assertFalse(SchemaCheck.validate(spec, badNetwork, "spec").isEmpty());
        JsonNode unknownField = YAML.readTree("tenant: acme\nowner: alice\nreplicas: 3\n");
        assertTrue(SchemaCheck.validate(spec, unknownField, "spec").contains("spec.replicas: unknown field"));
        JsonNode sdkWithoutName = YAML.readTree("tenant: acme\nowner: alice\nsdks:\n- version: ^1\n");
        assertTrue(SchemaCheck.validate(spec, sdkWithoutName, "spec").contains("spec.sdks[0].name: required"));
    }

    static JsonNode crd() throws IOException {
        return YAML.readTree(DEPLOY.resolve("crds").resolve(CRD_FILE).toFile());
    }

    static JsonNode schema() throws IOException {
        return crd().path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
    }
}
