package io.defensebuilders.analytics.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.analytics.service.StatsResults;
import io.defensebuilders.analytics.service.StatsService;
import io.defensebuilders.platform.auth.Roles;
import io.defensebuilders.platform.auth.TenantContext;

/** The stats query API, in the spirit of Plausible's Stats API v2, over the minute/hour/day rollups. */
@Path("/api/v1/analytics/query")
@Tag(name = "Query")
public class StatsResource {

    private static final String EXAMPLE = """
            {"metrics": ["events", "value"], "date_range": "7d", "dimensions": ["time:day", "data:meter"],
             "filters": [["is", "event:type", ["io.defensebuilders.usage.v1"]]],
             "order_by": [["time:day", "asc"]], "pagination": {"limit": 100, "offset": 0}}""";

    private final StatsService stats;
    private final TenantContext tenant;

    public StatsResource(StatsService stats, TenantContext tenant) {
        this.stats = stats;
        this.tenant = tenant;
    }

    @POST
    @RolesAllowed(Roles.VIEWER)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Query events and rollups", description = """
            Metrics (events: how many events; value: the sum of each type's configured value, e.g. usage quantity)
            over a date_range ("60m", "24h", "7d", "30d": the last N minutes, hours or UTC days including the current
            one; or [from, to] as RFC 3339 date-times, end exclusive, or dates, end inclusive; whole minutes), grouped
            by dimensions (time:minute, time:hour, time:day, event:type, event:tenant, data:<configured path>),
            filtered ([is|is_not|contains, dimension, [values]], all must hold), ordered ([metric or dimension,
            asc|desc]) and paginated ({limit, offset}). The caller's tenant only; platform admins may set "tenant" to
            another tenant or to "*" for the whole platform. Another tenant named by anyone else answers 404.""")
    public StatsResults.QueryResult query(
            @RequestBody(content = @Content(examples = @ExampleObject(name = "usage per day and meter", value = EXAMPLE))) JsonNode body) {
        return stats.query(tenant.caller(), body);
    }
}
