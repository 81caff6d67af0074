package io.defensebuilders.aitools.api;

import static io.defensebuilders.aitools.service.PlatformApi.segment;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.aitools.service.PlatformApi;
import io.defensebuilders.aitools.service.PlatformApi.Call;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.Tool.Annotations;
import io.quarkiverse.mcp.server.Tool.OutputSchema;
import io.quarkiverse.mcp.server.ToolArg;

/** Sandbox environments as tools: create, list, inspect, sleep, wake, delete, and a kubeconfig for one. */
@ToolCall
public class EnvironmentTools {

    private static final String ENVIRONMENTS = "environment-manager";
    private static final String PATH = "/api/v1/environments";

    /** An SDK an environment runs: its name and a version range. */
    public record SdkRef(String name, String version) {
    }

    private final ToolContext context;

    public EnvironmentTools(ToolContext context) {
        this.context = context;
    }

    @Tool(name = "create_environment", title = "Create a sandbox environment", description = "Creates a sandbox "
            + "environment on the platform's Kubernetes cluster running the given SDKs (builder role): their version "
            + "ranges are resolved through the registry, the operator provisions a namespace with quotas and network "
            + "policy. Follow it with get_environment until its phase is Ready.", annotations = @Annotations(readOnlyHint = false, destructiveHint = false, idempotentHint = false, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Environment.class))
    public Views.Environment createEnvironment(
            @ToolArg(description = "SDKs to run, each a name and a version range (e.g. {name: tak-server, version: ^5})") List<SdkRef> sdks,
            @ToolArg(description = "DNS label, at most 59 characters; generated when absent", required = false) String name,
            @ToolArg(description = "small, medium or large (default small)", required = false) String template,
            @ToolArg(description = "isolated (default) or egress", required = false) String network,
            @ToolArg(description = "Time to live, e.g. 8h (default from the template)", required = false) String ttl,
            @ToolArg(description = "Sleep after this long without use, e.g. 30m", required = false) String idleTimeout) {
        Map<String, Object> body = PlatformApi.body("name", name, "sdks", sdks, "template", template, "network", network, "ttl",
                ttl, "idleTimeout", idleTimeout);
        return context.send(Call.post(ENVIRONMENTS, PATH, body), Views.Environment.class);
    }

    @Tool(name = "list_environments", title = "List environments", description = "The caller's tenant's sandbox "
            + "environments with their phase, endpoints and expiry.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.EnvironmentList.class))
    public Views.EnvironmentList listEnvironments() {
        JsonNode list = context.send(Call.get(ENVIRONMENTS, PATH));
        return new Views.EnvironmentList(Arrays.asList(context.as(list.path("data"), Views.Environment[].class)));
    }

    @Tool(name = "get_environment", title = "Inspect an environment", description = "One environment: phase, "
            + "message, endpoints, the SDK versions it resolved to, expiry.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Environment.class))
    public Views.Environment getEnvironment(@ToolArg(description = "Environment name") String name) {
        return context.send(Call.get(ENVIRONMENTS, PATH + "/" + segment(name)), Views.Environment.class);
    }

    @Tool(name = "sleep_environment", title = "Put an environment to sleep", description = "Scales its workloads to "
            + "zero and keeps its volumes; wake_environment brings it back.", annotations = @Annotations(readOnlyHint = false, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Environment.class))
    public Views.Environment sleepEnvironment(@ToolArg(description = "Environment name") String name) {
        return context.send(Call.post(ENVIRONMENTS, PATH + "/" + segment(name) + "/sleep", null),
                Views.Environment.class);
    }

    @Tool(name = "wake_environment", title = "Wake an environment", description = "Scales a sleeping environment's "
            + "workloads back up.", annotations = @Annotations(readOnlyHint = false, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Environment.class))
    public Views.Environment wakeEnvironment(@ToolArg(description = "Environment name") String name) {
        return context.send(Call.post(ENVIRONMENTS, PATH + "/" + segment(name) + "/wake", null),
                Views.Environment.class);
    }

    @Tool(name = "delete_environment", title = "Delete an environment", description = "Deletes an environment and "
            + "everything in it (its namespace, workloads and volumes). Cannot be undone.", annotations = @Annotations(readOnlyHint = false, destructiveHint = true, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Environment.class))
    public Views.Environment deleteEnvironment(@ToolArg(description = "Environment name") String name) {
        context.send(Call.delete(ENVIRONMENTS, PATH + "/" + segment(name)));
        return Views.Environment.deleting(name);
    }

    @Tool(name = "get_kubeconfig", title = "Get an environment's kubeconfig", description = "A kubeconfig scoped to "
            + "the environment's namespace, for kubectl and the SDKs' own tools. It is a credential: keep it private.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Kubeconfig.class))
    public Views.Kubeconfig getKubeconfig(@ToolArg(description = "Environment name") String name) {
        return new Views.Kubeconfig(name, context.text(Call.get(ENVIRONMENTS, PATH + "/" + segment(name)
                + "/kubeconfig").accept("application/yaml")));
    }
}
