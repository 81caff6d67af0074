package io.defensebuilders.testing.mcp;

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
 * An MCP client that shares nothing with this codebase: the official TypeScript SDK, 1.x ({@code @modelcontextprotocol/sdk})
 * or the 2.x client package ({@code @modelcontextprotocol/client}), pinned by .ci/run into {@code DBP_NODE_CLIENTS}, over
 * Streamable HTTP, running {@code mcp-client.mjs} on a scenario (see the script). Where Node or the package is missing,
 * {@link #modules} is empty and the tests that need it are skipped.
 */
public final class McpNodeClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private McpNodeClient() {
    }

    /** The 1.x SDK package, {@code @modelcontextprotocol/sdk}. */
    public static final String SDK = "sdk";
    /** The 2.x client package, {@code @modelcontextprotocol/client}. */
    public static final String CLIENT = "client";

    /** The node_modules that hold {@code @modelcontextprotocol/sdk}, when this machine has it. */
    public static Optional<Path> modules() {
        return modules(SDK);
    }

    /** The node_modules that hold {@code @modelcontextprotocol/<pkg>}, when this machine has it. */
    public static Optional<Path> modules(String pkg) {
        String modules = System.getenv("DBP_NODE_CLIENTS");
        return modules != null && Files.isDirectory(Path.of(modules, "@modelcontextprotocol", pkg))
                ? Optional.of(Path.of(modules))
                : Optional.empty();
    }

    /**
     * Runs the client against {@code url} with {@code token} as its bearer credential on {@code scenario}; what it saw,
     * as the JSON line it prints. Fails the test on an error the client did not expect (its output in the message).
     */
    public static JsonNode run(Path modules, String url, String token, Object scenario) throws IOException,
            InterruptedException {
        return run(modules, url, token, scenario, SDK);
    }

    /** {@link #run(Path, String, String, Object)} with the package {@code pkg} ({@link #SDK} or {@link #CLIENT}). */
    public static JsonNode run(Path modules, String url, String token, Object scenario, String pkg) throws IOException,
            InterruptedException {
        Path script = Files.createTempDirectory("mcp-node-client").resolve("mcp-client.mjs");
        try (InputStream in = McpNodeClient.class.getResourceAsStream("/mcp/mcp-client.mjs")) {
            if (in == null) {
                throw new IllegalStateException("/mcp/mcp-client.mjs is not on the class path");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Process node = new ProcessBuilder("node", script.toString(), modules.toString(), url, token,
                JSON.writeValueAsString(scenario), pkg).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(180, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            throw new AssertionError("the MCP node client did not finish: " + out);
        }
        if (node.exitValue() != 0) {
            throw new AssertionError("the MCP node client failed (" + node.exitValue() + "): " + out);
        }
        return JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
    }
}
