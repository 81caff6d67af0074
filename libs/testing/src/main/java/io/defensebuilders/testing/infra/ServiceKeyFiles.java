package io.defensebuilders.testing.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * The platform's own services' API keys outside a cluster, as the Helm chart's Secret service-keys holds them in one:
 * a directory with one key file per service that has the gateway mint internal tokens; the gateway reads the
 * directory (and creates the keys it does not know on the bootstrap tenant), each of those services gets its own key.
 * Used by {@code ./platform up} and by the test fleets.
 */
public final class ServiceKeyFiles {

    /** The services that mint tokens, and the variable each reads its key from. */
    public static final Map<String, String> ENV = Map.of(
            "orbital", "DBP_ORBITAL_MANEUVERS_MODEL_GATEWAY_API_KEY",
            "environment-manager", "DBP_ENVIRONMENTS_REGISTRY_GATEWAY_API_KEY",
            "sdk-registry", "DBP_REGISTRY_SEARCH_SEMANTIC_GATEWAY_API_KEY",
            "ai-tools", "DBP_AI_TOOLS_INTEGRATIONS_GATEWAY_API_KEY");
    /** The gateway's setting naming the directory. */
    public static final String GATEWAY_ENV = "DBP_GATEWAY_BOOTSTRAP_SERVICE_KEYS_DIR";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ServiceKeyFiles() {
    }

    /** {@code dir} with a key for each service of {@link #ENV}, made (owner-only) where missing, kept where present. */
    public static Path ensure(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String service : ENV.keySet()) {
                Path file = dir.resolve(service);
                if (!Files.exists(file)) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, newKey() + "\n");
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code service} needs of {@code dir}: the gateway the directory, a token-minting service its own key. */
    public static void apply(ServiceLaunch launch, String service, Path dir) {
        if (service.equals("gateway")) {
            launch.env(GATEWAY_ENV, dir.toString());
        } else if (ENV.containsKey(service)) {
            try {
                launch.env(ENV.get(service), Files.readString(dir.resolve(service)).trim());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A key in the gateway's format: {@code dbp_<16 hex>_<43 base64url>}. */
    static String newKey() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return "dbp_" + HexFormat.of().formatHex(id) + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
