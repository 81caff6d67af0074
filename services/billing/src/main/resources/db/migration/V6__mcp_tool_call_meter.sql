-- ai-tools meters every answered MCP tool call (usage.v1 mcp.tool_call, attribute tool), so a tenant's assistant use
-- shows in its usage from the first call; plans may price it like any meter.
INSERT INTO meter (key, description, event_meter, aggregation, value_property, group_by)
VALUES ('mcp.tool_call', 'MCP tool calls answered by ai-tools, per tool', 'mcp.tool_call', 'COUNT', NULL, ARRAY['tool']);
