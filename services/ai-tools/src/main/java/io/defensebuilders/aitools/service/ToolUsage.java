package io.defensebuilders.aitools.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.contracts.events.CloudEvent;
import io.defensebuilders.contracts.events.Topics;
import io.defensebuilders.contracts.events.UsageV1;
import io.defensebuilders.platform.auth.Caller;
import io.defensebuilders.platform.events.Outbox;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@code usage.v1} meter {@code mcp.tool_call}: one per tool call that answered (a tool error is not metered), billed
 * to the calling tenant, written to the outbox before the answer leaves. Attribute: the tool.
 */
@ApplicationScoped
public class ToolUsage {

    private static final String SOURCE = "/services/ai-tools";
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);

    private final Outbox outbox;
    private final Pool pool;

    public ToolUsage(Outbox outbox, Pool pool) {
        this.outbox = outbox;
        this.pool = pool;
    }

    /** Records one answered call of {@code tool} by {@code caller}. */
    public void record(Caller caller, String tool, Instant at) {
        UsageV1 data = new UsageV1(caller.tenant(), UsageV1.MCP_TOOL_CALL, BigDecimal.ONE, caller.subject(), at,
                Map.of("tool", tool));
        CloudEvent<UsageV1> event = CloudEvent.of(UUID.randomUUID().toString(), SOURCE, UsageV1.TYPE, caller.tenant(),
                tool, at, data);
        outbox.append(pool, Topics.USAGE_V1, event).await().atMost(DB_TIMEOUT);
    }
}
