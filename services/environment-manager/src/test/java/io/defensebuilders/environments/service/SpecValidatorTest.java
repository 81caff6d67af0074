package io.defensebuilders.environments.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.defensebuilders.environments.EnvironmentSpec;
import io.defensebuilders.environments.config.EnvironmentsConfig;
import io.defensebuilders.platform.problem.Problem.FieldError;
import io.defensebuilders.testing.config.ConfigStub;

/**
 * The spec rules both doors share (the REST API's 400 and kubectl's Valid=False condition), without either door:
 * a valid spec passes, and every mistake is reported at once under the field it concerns.
 */
class SpecValidatorTest {

    private final SpecValidator validator = new SpecValidator(config());

    @Test
    void aValidSpecHasNoProblems() {
        assertEquals(List.of(), validator.validate("demo", valid()));
        EnvironmentSpec atTheLimits = valid();
        atTheLimits.resources = new EnvironmentSpec.Resources("8000m", "32Gi", "200Gi");
        atTheLimits.ttl = "30d";
        assertEquals(List.of(), validator.validate("a" + "b".repeat(57) + "c", atTheLimits), "59 characters");
    }

    @Test
    void everyMistakeIsReportedAtOnceUnderItsField() {
        EnvironmentSpec spec = valid();
        spec.tenant = "ACME";
        spec.owner = " ";
        spec.displayName = "x".repeat(201);
        spec.sdks = new ArrayList<>(List.of(new EnvironmentSpec.SdkRef("tak-server", "^5"),
                new EnvironmentSpec.SdkRef("tak-server", ""), new EnvironmentSpec.SdkRef("Bad Name", null)));
        spec.template = "huge";
        spec.network = "open";
        spec.resources = new EnvironmentSpec.Resources("2 cores", "0", "201Gi");
        spec.ttl = "31d";
        spec.idleTimeout = "forever";
        List<String> fields = validator.validate("-demo", spec).stream().map(FieldError::field).toList();
        assertEquals(List.of("name", "tenant", "owner", "displayName", "sdks[1].name", "sdks[1].version",
                "sdks[2].name", "template", "network", "resources.cpu", "resources.memory", "resources.storage", "ttl",
                "idleTimeout"), fields);
    }

    @Test
    void quantitiesAreComparedAsQuantitiesNotAsText() {
        EnvironmentSpec spec = valid();
        // 8 CPUs is the limit: 8001m is over it, 0.5 is under it
        spec.resources = new EnvironmentSpec.Resources("8001m", "32768Mi", "0.1Ti");
        List<FieldError> errors = validator.validate("demo", spec);
        assertEquals(List.of("resources.cpu"), errors.stream().map(FieldError::field).toList(), errors.toString());
        assertTrue(errors.getFirst().message().contains("limit of 8"), errors.toString());
        spec.resources = new EnvironmentSpec.Resources("0.5", "33Gi", null);
        errors = validator.validate("demo", spec);
        assertEquals(List.of("resources.memory"), errors.stream().map(FieldError::field).toList(), errors.toString());
    }

    @Test
    void moreThanTenSdksIsRefused() {
        EnvironmentSpec spec = valid();
        spec.sdks = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            spec.sdks.add(new EnvironmentSpec.SdkRef("sdk-" + i, null));
        }
        assertEquals(List.of("sdks"), validator.validate("demo", spec).stream().map(FieldError::field).toList());
    }

    @Test
    void noSpecIsOneProblem() {
        assertEquals(List.of("spec"), validator.validate("demo", null).stream().map(FieldError::field).toList());
    }

    private static EnvironmentSpec valid() {
        EnvironmentSpec spec = new EnvironmentSpec();
        spec.tenant = "acme";
        spec.owner = "ana@acme.example";
        spec.displayName = "Demo";
        spec.sdks = new ArrayList<>(List.of(new EnvironmentSpec.SdkRef("tak-server", "^5.2")));
        spec.template = "small";
        spec.network = "isolated";
        spec.ttl = "8h";
        spec.idleTimeout = "1h30m";
        return spec;
    }

    private static EnvironmentsConfig config() {
        EnvironmentsConfig.Limits limits = ConfigStub.of(EnvironmentsConfig.Limits.class, Map.of("maxCpu", "8",
                "maxMemory", "32Gi", "maxStorage", "200Gi", "maxTtl", Duration.ofDays(30)));
        return ConfigStub.of(EnvironmentsConfig.class, Map.of("limits", limits));
    }
}
