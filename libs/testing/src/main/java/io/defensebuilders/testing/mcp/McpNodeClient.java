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
 * An MCP client that shares nothing with this codebase: the official TypeScript SDK ({@code @modelcontextprotocol/sdk},
 * pinned by .ci/run into {@code DBP_NODE_CLIENTS}) over Streamable HTTP, running {@code mcp-client.mjs} on a scenario
 * (see the script). Where Node or the package is missing, {@link #modules()} is empty and the tests that need it are
 * skipped.
 */
public final class McpNodeClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private McpNodeClient() {
    }

    /** The node_modules that hold {@code @modelcontextprotocol/sdk}, when this machine has it. */
    public static Optional<Path> modules() {
        String modules = System.getenv("DBP_NODE_CLIENTS");
        return modules != null && Files.isDirectory(Path.of(modules, "@modelcontextprotocol", "sdk"))
                ? Optional.of(Path.of(modules))
                : Optional.empty();
    }

    /**
     * Runs the client against {@code url} with {@code token} as its bearer credential on {@code scenario}; what it saw,
     * as the JSON line it prints. Fails the test on an error the client did not expect (its output in the message).
     */
    public static JsonNode run(Path modules, String url, String token, Object scenario) throws IOException,
            InterruptedException {
        Path script = Files.createTempDirectory("mcp-node-client").resolve("mcp-client.mjs");
        try (InputStream in = McpNodeClient.class.getResourceAsStream("/mcp/mcp-client.mjs")) {
            if (in == null) {
                throw new IllegalStateException("/mcp/mcp-client.mjs is not on the class path");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Process node = new ProcessBuilder("node", script.toString(), modules.toString(), url, token,
                JSON.writeValueAsString(scenario)).redirectErrorStream(true).start();
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
