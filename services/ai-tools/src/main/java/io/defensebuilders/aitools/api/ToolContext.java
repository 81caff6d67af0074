package io.defensebuilders.aitools.api;

import jakarta.enterprise.context.RequestScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.defensebuilders.aitools.service.PlatformApi;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.auth.TenantContext;
import io.defensebuilders.platform.web.RequestIds;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/** The MCP request a tool runs in: who calls, and their calls to the platform's APIs on their behalf. */
@RequestScoped
public class ToolContext {

    private final TenantContext tenant;
    private final CurrentVertxRequest request;
    private final PlatformApi api;

    public ToolContext(TenantContext tenant, CurrentVertxRequest request, PlatformApi api) {
        this.tenant = tenant;
        this.request = request;
        this.api = api;
    }

    public Caller caller() {
        return tenant.caller();
    }

    /** The call's answer as JSON, asked with the caller's own token. */
    public JsonNode send(PlatformApi.Call call) {
        return api.send(call, tenant.token(), requestId());
    }

    /** The call's answer read as {@code view}. */
    public <T> T send(PlatformApi.Call call, Class<T> view) {
        return api.send(call, tenant.token(), requestId(), view);
    }

    /** The call's answer as text. */
    public String text(PlatformApi.Call call) {
        return api.text(call, tenant.token(), requestId());
    }

    public <T> T as(JsonNode node, Class<T> view) {
        return api.as(node, view);
    }

    /** The request id the gateway gave the MCP request, passed on so that one id follows the work across services. */
    private String requestId() {
        var current = request.getCurrent();
        return current == null ? null : current.request().getHeader(RequestIds.HEADER);
    }
}
