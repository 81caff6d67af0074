-- ai-tools' own schema. Its first tables are platform-common's outbox and inbox (db/platform): every answered tool
-- call leaves as usage.v1 mcp.tool_call through the outbox. Webhook secrets, deliveries and notification
-- subscriptions come with the GitHub, Slack and notification parts of issue 19.
SELECT 1;
