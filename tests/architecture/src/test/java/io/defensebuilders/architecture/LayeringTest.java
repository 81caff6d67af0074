package io.defensebuilders.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The layering of docs/architecture.md, over the compiled main classes of every service (their
 * {@code target/classes}; test code is not held to it):
 * <ul>
 * <li>inside a service, calls go {@code api -> service -> repository}: a use case does not know the REST resources
 * that call it (it defines the commands it takes and the results it answers, which {@code api} may expose as they
 * are), a repository speaks domain types only;</li>
 * <li>no service uses another service's classes: they talk over REST, gRPC and Kafka, through libs/contracts;</li>
 * <li>no service's main code depends on libs/testing.</li>
 * </ul>
 */
class LayeringTest {

    /** Each service's folder and its root package. */
    private static final Map<String, String> SERVICES = Map.of(
            "gateway", "io.defensebuilders.gateway",
            "sdk-registry", "io.defensebuilders.registry",
            "environment-manager", "io.defensebuilders.environments",
            "billing", "io.defensebuilders.billing",
            "analytics", "io.defensebuilders.analytics",
            "orbital", "io.defensebuilders.orbital",
            "inference", "io.defensebuilders.inference");

    private static JavaClasses classes;

    @BeforeAll
    static void importServices() {
        Path repo = Path.of(System.getProperty("dbp.repo", "../..")).toAbsolutePath().normalize();
        List<Path> dirs = SERVICES.keySet().stream().map(s -> repo.resolve("services").resolve(s)
                .resolve("target/classes")).toList();
        for (Path dir : dirs) {
            assertTrue(Files.isDirectory(dir.resolve("io/defensebuilders")), dir + " is missing: compile the services "
                    + "first (./mvnw compile, or the whole build, which orders this module after them)");
        }
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPaths(dirs);
    }

    @ParameterizedTest
    @ValueSource(strings = { "gateway", "sdk-registry", "environment-manager", "billing", "analytics", "orbital", "inference" })
    void useCasesDoNotKnowTheirCallersShapes(String service) {
        String root = SERVICES.get(service);
        noClasses().that().resideInAPackage(root + ".service..")
                .should().dependOnClassesThat().resideInAPackage(root + ".api..")
                .because("use cases define what they take and answer; the REST resources adapt to them, never back "
                        + "(gRPC clients of other services, in grpc, are theirs to call)")
                .check(classes);
    }

    @ParameterizedTest
    @ValueSource(strings = { "gateway", "sdk-registry", "environment-manager", "billing", "analytics", "orbital", "inference" })
    void repositoriesSpeakDomainTypesOnly(String service) {
        String root = SERVICES.get(service);
        noClasses().that().resideInAPackage(root + ".repository..")
                .should().dependOnClassesThat()
                .resideInAnyPackage(root + ".service..", root + ".api..", root + ".grpc..", root + ".messaging..")
                .because("a repository stores and reads domain types; use cases call it, never the other way")
                // environment-manager keeps its state in Kubernetes: no repository package
                .allowEmptyShould(true)
                .check(classes);
    }

    @ParameterizedTest
    @ValueSource(strings = { "gateway", "sdk-registry", "environment-manager", "billing", "analytics", "orbital", "inference" })
    void noServiceUsesAnothersClasses(String service) {
        String root = SERVICES.get(service);
        String[] others = SERVICES.values().stream().filter(p -> !p.equals(root)).map(p -> p + "..")
                .toArray(String[]::new);
        noClasses().that().resideInAPackage(root + "..")
                .should().dependOnClassesThat().resideInAnyPackage(others)
                .because("services talk over REST, gRPC and Kafka; what they share is in libs/contracts")
                .check(classes);
    }

    @Test
    void mainCodeDoesNotDependOnTheTestLibrary() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.defensebuilders.testing..")
                .because("libs/testing is for tests and the local runtime, never shipped in a service")
                .check(classes);
    }
}
