package io.defensebuilders.aitools.api;

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

/** What the caller's tenant uses and pays, as tools: metered usage, invoices, analytics queries. */
@ToolCall
public class AccountTools {

    private final ToolContext context;

    public AccountTools(ToolContext context) {
        this.context = context;
    }

    @Tool(name = "usage_summary", title = "Usage of a meter", description = "The caller's tenant's metered usage "
            + "(api.call, inference.call, environment.minutes, mcp.tool_call, ...) over a range, optionally per "
            + "window and grouped by the meter's attributes. Values are exact decimals.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Usage.class))
    public Views.Usage usageSummary(@ToolArg(description = "Meter key, e.g. api.call") String meter,
            @ToolArg(description = "Start, inclusive, a whole minute (RFC 3339), e.g. 2026-12-01T00:00:00Z") String from,
            @ToolArg(description = "End, exclusive, a whole minute (RFC 3339)") String to,
            @ToolArg(description = "Attributes to group by, e.g. route", required = false) List<String> groupBy,
            @ToolArg(description = "MINUTE, HOUR or DAY; absent: one window for the whole range", required = false) String window) {
        return context.send(Call.get("billing", "/api/v1/billing/usage").query("meter", meter).query("from", from)
                .query("to", to).query("groupBy", groupBy == null ? null : String.join(",", groupBy))
                .query("window", window), Views.Usage.class);
    }

    @Tool(name = "list_invoices", title = "List invoices", description = "The caller's tenant's invoices, drafts "
            + "included, with their lines and exact totals.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Invoices.class))
    public Views.Invoices listInvoices() {
        JsonNode invoices = context.send(Call.get("billing", "/api/v1/billing/invoices"));
        return new Views.Invoices(Arrays.asList(context.as(invoices, Views.Invoice[].class)));
    }

    @Tool(name = "query_analytics", title = "Query platform analytics", description = "Counts and sums of the "
            + "caller's tenant's platform events (usage, environments, registry, orbital) by time and dimension. "
            + "Example: metrics [events], dateRange 7d, dimensions [time:day, data:meter], filters "
            + "[[is, event:type, [io.defensebuilders.usage.v1]]].", annotations = @Annotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true, openWorldHint = false), structuredContent = true, outputSchema = @OutputSchema(from = Views.Analytics.class))
    public Views.Analytics queryAnalytics(
            @ToolArg(description = "events and/or value") List<String> metrics,
            @ToolArg(description = "60m, 24h, 7d, 30d, or two RFC 3339 instants separated by a comma") String dateRange,
            @ToolArg(description = "Up to 5 of time:minute|hour|day, event:type, data:<path>", required = false) List<String> dimensions,
            @ToolArg(description = "Filters, each [operator (is, is_not, contains), dimension, [values]]", required = false) List<List<Object>> filters,
            @ToolArg(description = "Rows per page, 1 to 10000 (default 100)", required = false) Integer limit,
            @ToolArg(description = "Rows to skip", required = false) Integer offset) {
        Object range = dateRange != null && dateRange.contains(",")
                ? Arrays.stream(dateRange.split(",")).map(String::trim).toList()
                : dateRange;
        Map<String, Object> body = PlatformApi.body("metrics", metrics, "date_range", range, "dimensions", dimensions,
                "filters", filters, "pagination", Map.of("limit", limit == null ? 100 : limit, "offset",
                        offset == null ? 0 : offset));
        return context.send(Call.post("analytics", "/api/v1/analytics/query", body), Views.Analytics.class);
    }
}
