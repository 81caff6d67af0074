package io.defensebuilders.environments.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.defensebuilders.environments.Environment;
import io.defensebuilders.environments.EnvironmentSpec;
import io.defensebuilders.environments.grpc.Resolution;
import io.defensebuilders.environments.grpc.ResolutionException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/**
 * SDK resolutions are pinned per generation: a resync asks the registry nothing, a resolution the REST API stored on
 * the resource is used as long as it belongs to the spec's SDKs, and a new generation or a deletion drops the pin.
 */
class SdkPinningTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> asked = new ArrayList<>();
    private final SdkPinning pinning = new SdkPinning((tenant, sdks) -> {
        asked.add(tenant + ":" + SdkPinning.fingerprint(sdks));
        return sdks.stream().map(s -> resolution(s.name, "1.0.0")).toList();
    }, JSON);

    @Test
    void aResyncOfTheSameGenerationAsksTheRegistryOnce() {
        Environment env = environment("uid-1", sdk("tak-server", "^5"));
        List<Resolution> first = pinning.resolve(env, 1);
        List<Resolution> again = pinning.resolve(env, 1);
        assertEquals(List.of("acme:tak-server@^5"), asked);
        assertEquals(first, again);
    }

    @Test
    void aNewGenerationOrOtherSdksAreResolvedAgain() {
        Environment env = environment("uid-2", sdk("tak-server", "^5"));
        pinning.resolve(env, 1);
        pinning.resolve(env, 2);
        env.getSpec().sdks.add(sdk("foundry-cli", null));
        pinning.resolve(env, 2);
        assertEquals(List.of("acme:tak-server@^5", "acme:tak-server@^5", "acme:tak-server@^5,foundry-cli@"), asked);
    }

    @Test
    void whatTheRestApiResolvedIsUsedWithoutAskingWhileItMatchesTheSpec() throws Exception {
        Environment env = environment("uid-3", sdk("tak-server", "^5"));
        List<Resolution> stored = List.of(resolution("tak-server", "5.2.0"));
        annotate(env, new SdkPinning.ResolvedAnnotation("tak-server@^5", stored));

        assertEquals(stored, pinning.resolve(env, 1));
        assertEquals(List.of(), asked, "pinned by the REST API");

        env.getSpec().sdks.set(0, sdk("tak-server", "^6"));
        assertEquals("1.0.0", pinning.resolve(env, 1).getFirst().version(), "an annotation for other SDKs is not used");
        assertEquals(List.of("acme:tak-server@^6"), asked);
    }

    @Test
    void anUnreadableAnnotationIsIgnored() {
        Environment env = environment("uid-4", sdk("tak-server", null));
        env.getMetadata().setAnnotations(new HashMap<>(Map.of(Labels.RESOLVED, "{not json")));
        assertEquals("1.0.0", pinning.resolve(env, 1).getFirst().version());
        assertEquals(List.of("acme:tak-server@"), asked);
    }

    @Test
    void aDeletedEnvironmentIsForgotten() {
        Environment env = environment("uid-5", sdk("tak-server", null));
        pinning.resolve(env, 1);
        pinning.forget("uid-5");
        pinning.resolve(env, 1);
        assertEquals(2, asked.size());
    }

    @Test
    void aFailedResolutionPinsNothing() {
        List<Integer> calls = new ArrayList<>();
        SdkPinning failingOnce = new SdkPinning((tenant, sdks) -> {
            calls.add(1);
            if (calls.size() == 1) {
                throw new ResolutionException("the SDK registry is unavailable", false);
            }
            return List.of(resolution("tak-server", "5.0.0"));
        }, JSON);
        Environment env = environment("uid-6", sdk("tak-server", null));
        assertThrows(ResolutionException.class, () -> failingOnce.resolve(env, 1));
        assertEquals("5.0.0", failingOnce.resolve(env, 1).getFirst().version());
        assertEquals(2, calls.size());
    }

    @Test
    void theFingerprintSpellsNameAndRangeInOrder() {
        assertEquals("", SdkPinning.fingerprint(null));
        assertEquals("", SdkPinning.fingerprint(List.of()));
        assertEquals("a@^1,b@", SdkPinning.fingerprint(List.of(sdk("a", "^1"), sdk("b", null))));
    }

    private static void annotate(Environment env, SdkPinning.ResolvedAnnotation value) throws Exception {
        env.getMetadata().setAnnotations(new HashMap<>(Map.of(Labels.RESOLVED, JSON.writeValueAsString(value))));
    }

    private static Environment environment(String uid, EnvironmentSpec.SdkRef... sdks) {
        Environment env = new Environment();
        env.setMetadata(new ObjectMetaBuilder().withName("demo").withUid(uid).build());
        EnvironmentSpec spec = new EnvironmentSpec();
        spec.tenant = "acme";
        spec.owner = "alice";
        spec.sdks = new ArrayList<>(List.of(sdks));
        env.setSpec(spec);
        return env;
    }

    private static EnvironmentSpec.SdkRef sdk(String name, String version) {
        return new EnvironmentSpec.SdkRef(name, version);
    }

    private static Resolution resolution(String name, String version) {
        return new Resolution(name, version, "registry.example/" + name, "sha256:" + "0".repeat(64),
                List.of(new Resolution.Port("http", 8080, "TCP")), Map.of(), null, null, List.of(), List.of(), null);
    }
}
