package io.defensebuilders.aitools.api;

import static io.defensebuilders.aitools.service.PlatformApi.segment;

import java.util.List;
import java.util.Map;

import io.defensebuilders.aitools.service.PlatformApi.Call;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.Tool.Annotations;
import io.quarkiverse.mcp.server.Tool.OutputSchema;
import io.quarkiverse.mcp.server.ToolArg;

/** Served models as tools: list them, run one (the Open Inference Protocol v2). */
@ToolCall
public class InferenceTools {

    private final ToolContext context;

    public InferenceTools(ToolContext context) {
        this.context = context;
    }

    @Tool(name = "list_models", title = "List models", description = "The models the caller can run: the tenant's "
            + "own and the platform's public ones, with their versions' input and output tensors.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Models.class))
    public Views.Models listModels() {
        return context.send(Call.get("inference", "/api/v1/inference/models"), Views.Models.class);
    }

    @Tool(name = "run_inference", title = "Run a model", description = "Runs a model on input tensors (Open "
            + "Inference Protocol v2): each input a name, datatype (FP32, INT64, BYTES, ...), shape and flat data, as "
            + "list_models describes them. Metered as inference.call.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Inference.class))
    public Views.Inference runInference(@ToolArg(description = "Model name") String model,
            @ToolArg(description = "Input tensors: name, datatype, shape, data") List<Views.Tensor> inputs,
            @ToolArg(description = "Model version; default: the model's default version", required = false) String version) {
        String path = "/v2/models/" + segment(model) + (version == null ? "" : "/versions/" + segment(version))
                + "/infer";
        return context.send(Call.post("inference", path, Map.of("inputs", inputs)), Views.Inference.class);
    }
}
