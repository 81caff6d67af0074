-- Analytics (schema analytics): the deduplication ledger, the raw events (one partition per UTC day) and the
-- minute, hour and day rollups. The ingest writes all of them in one transaction per Kafka batch.

-- Every event seen, by its CloudEvents (source, id): a redelivered event finds its row and changes nothing. Kept
-- raw-days + 2 days + ingest.max-future (see RetentionJob): every redelivery of an event still inside the raw
-- retention is recognised.
CREATE TABLE event_seen (
    source      text        NOT NULL,
    event_id    text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id)
);
CREATE INDEX event_seen_received_at ON event_seen USING brin (received_at);

-- Raw events, the envelope generically plus the configured dimensions and value, partitioned by the UTC day of the
-- event's time (partitions event_pYYYYMMDD are created on demand and dropped after dbp.analytics.retention.raw-days).
-- tenant is '' for events that name none.
CREATE TABLE event (
    time        timestamptz NOT NULL,
    tenant      text        NOT NULL,
    type        text        NOT NULL,
    source      text        NOT NULL,
    event_id    text        NOT NULL,
    topic       text        NOT NULL,
    subject     text,
    dims        jsonb       NOT NULL,
    value       numeric,
    data        jsonb,
    received_at timestamptz NOT NULL DEFAULT now()
) PARTITION BY RANGE (time);
CREATE INDEX event_tenant_time ON event (tenant, time);

-- Rollups: events and the sum of the configured value per bucket (UTC minute, hour, day), tenant, type and
-- dimension values. Each new event is added to its minute, its hour and its day in the same statement batch of the
-- same transaction, so an hour always equals the sum of its minutes and a day the sum of its hours.
CREATE TABLE rollup_minute (
    bucket    timestamptz NOT NULL,
    tenant    text        NOT NULL,
    type      text        NOT NULL,
    dims      jsonb       NOT NULL,
    events    bigint      NOT NULL,
    value_sum numeric     NOT NULL,
    PRIMARY KEY (tenant, bucket, type, dims)
);
CREATE INDEX rollup_minute_bucket ON rollup_minute (bucket);

CREATE TABLE rollup_hour (LIKE rollup_minute INCLUDING ALL);
CREATE TABLE rollup_day (LIKE rollup_minute INCLUDING ALL);

-- A role Grafana's PostgreSQL data source (or any reporting tool) can be granted: read-only, rollups only. Creating
-- roles needs CREATEROLE; where the migrating user lacks it, the operator creates it (deploy/grafana/README.md).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'analytics_reader') THEN
        CREATE ROLE analytics_reader NOLOGIN;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'analytics_reader not created: the migrating user may not create roles';
    -- roles are cluster-wide: another database's migration may have created it at the same moment
    WHEN duplicate_object OR unique_violation THEN
        NULL;
END $$;

DO $$
BEGIN
    GRANT USAGE ON SCHEMA analytics TO analytics_reader;
    GRANT SELECT ON analytics.rollup_minute, analytics.rollup_hour, analytics.rollup_day TO analytics_reader;
EXCEPTION WHEN insufficient_privilege OR undefined_object THEN
    RAISE NOTICE 'analytics_reader not granted the rollups (role missing or no privilege); see deploy/grafana/README.md';
END $$;
