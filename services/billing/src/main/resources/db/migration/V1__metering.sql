-- Metering: the meter catalog, the deduplication ledger and the aggregates (schema billing).

-- Meters: a platform-wide catalog (like OpenMeter's), managed by platform admins over REST. A meter is never
-- deleted, only retired (deleted_at), so the aggregates that point at it stay explainable; its key can then be reused.
CREATE TABLE meter (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key            text        NOT NULL,
    description    text,
    event_meter    text        NOT NULL,
    aggregation    text        NOT NULL CHECK (aggregation IN ('COUNT', 'SUM', 'MAX', 'UNIQUE_COUNT', 'LATEST')),
    value_property text,
    group_by       text[]      NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    deleted_at     timestamptz,
    CHECK ((aggregation = 'COUNT') = (value_property IS NULL))
);
CREATE UNIQUE INDEX meter_live_key ON meter (key) WHERE deleted_at IS NULL;

-- Every usage.v1 event accepted, by its CloudEvents (source, id), written in the same transaction as its
-- aggregates: a redelivered event finds its row and changes nothing. Purged after dbp.billing.dedup.retention-days
-- (>= 32). BRIN on received_at: rows arrive in time order, so the purge finds old rows without a second b-tree to
-- maintain on the hot insert path.
CREATE TABLE usage_dedup (
    source      text        NOT NULL,
    event_id    text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id)
);
CREATE INDEX usage_dedup_received_at ON usage_dedup USING brin (received_at);

-- Aggregates per meter, tenant, UTC minute of the event's occurredAt, and group-by values ({"route": "..."}).
-- Every row keeps the event count; meters with a numeric value also keep its sum, its max and the latest value
-- (the latest occurredAt wins; ties go to the greatest (source, id) in byte order, hence COLLATE "C").
CREATE TABLE usage_bucket (
    meter_id        bigint      NOT NULL REFERENCES meter (id),
    tenant          text        NOT NULL,
    minute          timestamptz NOT NULL,
    group_values    jsonb       NOT NULL,
    event_count     bigint      NOT NULL,
    value_sum       numeric,
    value_max       numeric,
    latest_value    numeric,
    latest_time     timestamptz,
    latest_source   text COLLATE "C",
    latest_event_id text COLLATE "C",
    PRIMARY KEY (meter_id, tenant, minute, group_values)
);

-- The distinct values a UNIQUE_COUNT meter saw per minute, so a period's unique count is a distinct count over the
-- whole period (one user active in 30 minutes is 1, not 30).
CREATE TABLE usage_unique_value (
    meter_id     bigint      NOT NULL REFERENCES meter (id),
    tenant       text        NOT NULL,
    minute       timestamptz NOT NULL,
    group_values jsonb       NOT NULL,
    value        text        NOT NULL,
    PRIMARY KEY (meter_id, tenant, minute, group_values, value)
);
