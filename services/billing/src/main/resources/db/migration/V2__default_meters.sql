-- Meters that exist out of the box, so the gateway's events are metered from the first start.
INSERT INTO meter (key, description, event_meter, aggregation, value_property, group_by)
VALUES ('api.call', 'Calls proxied by the gateway, per route (service)', 'api.call', 'COUNT', NULL, ARRAY['route']);
