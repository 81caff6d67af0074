package io.defensebuilders.environments.grpc;

import java.util.List;
import java.util.Map;

/**
 * One SDK as the registry resolved it, with what the operator needs to run it. Kept on the resource (annotation
 * {@code environments.defensebuilders.io/resolved}) so a restart runs the same versions.
 *
 * @param name SDK name
 * @param version resolved version
 * @param image OCI repository
 * @param digest sha256 digest; the operator runs image@digest
 * @param ports ports to expose
 * @param env environment variables
 * @param cpu CPU request of one replica, when the SDK names one
 * @param memory memory request of one replica, when the SDK names one
 * @param command container command, empty for the image's
 * @param args container args
 * @param readinessPath HTTP readiness path, null for none
 */
public record Resolution(String name, String version, String image, String digest, List<Port> ports,
        Map<String, String> env, String cpu, String memory, List<String> command, List<String> args,
        String readinessPath) {

    /** A container port. */
    public record Port(String name, int port, String protocol) {
    }

    public String imageRef() {
        return image + "@" + digest;
    }
}
