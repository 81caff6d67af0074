package io.defensebuilders.testing.oip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A KServe v2 gRPC client that shares nothing with this codebase: Node's {@code @grpc/grpc-js} with the protocol's
 * proto (as libs/contracts ships it) loaded at run time by {@code @grpc/proto-loader}, running {@code oip-client.mjs}
 * (ServerLive, ServerMetadata, ModelReady, ModelMetadata, two ModelInfer calls on a [2,3] FP32 input {@code X}, one
 * with typed contents and one with {@code raw_input_contents}, and one call with too few values). .ci/run installs
 * the two npm packages (pinned) into {@code DBP_NODE_CLIENTS}; where they or Node are missing, {@link #modules()} is
 * empty and the tests that need it are skipped.
 */
public final class KserveNodeClient {

    private KserveNodeClient() {
    }

    /** The node_modules that hold {@code @grpc/grpc-js} and {@code @grpc/proto-loader}, when this machine has them. */
    public static Optional<Path> modules() {
        String modules = System.getenv("DBP_NODE_CLIENTS");
        return modules != null && Files.isDirectory(Path.of(modules, "@grpc", "grpc-js"))
                && Files.isDirectory(Path.of(modules, "@grpc", "proto-loader")) ? Optional.of(Path.of(modules))
                        : Optional.empty();
    }

    /**
     * Runs the client against {@code address} (host:port of a plaintext gRPC server) with {@code token} as its bearer
     * credential on every call, on {@code model}; what it read, as the JSON line it prints. Fails the test on any error
     * the client reports (its message and output are in the assertion's).
     */
    public static JsonNode run(Path modules, String address, String token, String model) throws IOException,
            InterruptedException {
        Path dir = Files.createTempDirectory("kserve-node-client");
        Path proto = dir.resolve("grpc_predict_v2.proto");
        Path script = dir.resolve("oip-client.mjs");
        copy("/inference/grpc_predict_v2.proto", proto);
        copy("/oip/oip-client.mjs", script);
        Process node = new ProcessBuilder("node", script.toString(), modules.toString(), proto.toString(), address, token,
                model).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(60, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            throw new AssertionError("the KServe node client did not finish: " + out);
        }
        if (node.exitValue() != 0) {
            throw new AssertionError("the KServe node client failed (" + node.exitValue() + "): " + out);
        }
        return new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = KserveNodeClient.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
