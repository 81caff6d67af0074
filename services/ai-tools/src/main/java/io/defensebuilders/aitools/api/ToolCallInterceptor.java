package io.defensebuilders.aitools.api;

import java.time.Instant;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import io.defensebuilders.aitools.service.ToolLimits;
import io.defensebuilders.aitools.service.ToolUsage;
import io.defensebuilders.platform.auth.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolCallException;

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

    /** {@code dbp.ai_tools.tool.calls{tool, outcome}}: ok (answered, metered), error (a tool error), limited. */
    private void count(String tool, String outcome) {
        meters.counter("dbp.ai_tools.tool.calls", "tool", tool, "outcome", outcome).increment();
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
