package io.defensebuilders.aitools.api;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import io.defensebuilders.aitools.service.ToolLimits;
import io.defensebuilders.aitools.service.ToolUsage;
import io.defensebuilders.platform.auth.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolCallException;
import io.quarkiverse.mcp.server.ToolManager;
import io.quarkus.runtime.StartupEvent;

/**
 * Around every tool: the caller's per-tool rate limit first (a tool error saying when to retry), then the tool, then
 * its {@code mcp.tool_call} usage event when it answered. A tool error (bad input, a refusal) is not metered.
 */
@ToolCall
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class ToolCallInterceptor {

    private final ToolContext context;
    private final ToolLimits limits;
    private final ToolUsage usage;
    private final MeterRegistry meters;

    public ToolCallInterceptor(ToolContext context, ToolLimits limits, ToolUsage usage, MeterRegistry meters) {
        this.context = context;
        this.limits = limits;
        this.usage = usage;
        this.meters = meters;
    }

    /** The outcomes of {@code dbp.ai_tools.tool.calls}: ok (answered, metered), error (a tool error), limited. */
    static final List<String> OUTCOMES = List.of("ok", "error", "limited");

    /** {@code dbp.ai_tools.tool.calls{tool, outcome}}. */
    private void count(String tool, String outcome) {
        meters.counter("dbp.ai_tools.tool.calls", "tool", tool, "outcome", outcome).increment();
    }

    /**
     * Every tool's outcomes as series from the start, at 0: the fleet dashboard's rates show 0 for a tool nobody has
     * called rather than no data, and a rise in errors is an increase from 0.
     */
    @Singleton
    static class Series {

        void register(@Observes StartupEvent started,
                ToolManager tools, MeterRegistry meters) {
            for (ToolManager.ToolInfo tool : tools) {
                for (String outcome : OUTCOMES) {
                    meters.counter("dbp.ai_tools.tool.calls", "tool", tool.name(), "outcome", outcome);
                }
            }
        }
    }

    @AroundInvoke
    Object around(InvocationContext invocation) throws Exception {
        Tool tool = invocation.getMethod().getAnnotation(Tool.class);
        if (tool == null) {
            return invocation.proceed();
        }
        String name = Tool.ELEMENT_NAME.equals(tool.name()) ? invocation.getMethod().getName() : tool.name();
        Caller caller = context.caller();
        long wait = limits.take(caller.tenant(), name);
        if (wait > 0) {
            count(name, "limited");
            throw new ToolCallException("rate limit of tool " + name + " reached for this tenant; retry in " + wait
                    + " s");
        }
        Object result;
        try {
            result = invocation.proceed();
        } catch (Exception e) {
            count(name, "error");
            throw e;
        }
        usage.record(caller, name, Instant.now());
        count(name, "ok");
        return result;
    }
}
