-- A tenant's GitHub and Slack integrations and the deliveries they received. The webhook secret (GitHub's shared
-- secret, Slack's signing secret) and an optional GitHub token are sealed with AES-256-GCM
-- (dbp.ai-tools.integrations.secret-key), bound to the integration's id: the database alone never reveals them.
CREATE TABLE integration (
    id          uuid PRIMARY KEY,
    tenant_id   text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('github', 'slack')),
    -- GitHub: the repository (owner/name, lower case); Slack: the workspace's team id
    target      text        NOT NULL,
    -- GitHub: the SDK a published release becomes a version of
    sdk         text,
    secret      bytea       NOT NULL,
    token       bytea,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, kind, target)
);
CREATE INDEX integration_by_tenant ON integration (tenant_id, created_at, id);

-- One row per delivery the sender identified (X-GitHub-Delivery, Slack's event_id): the primary key is the
-- deduplication; work is what a pending delivery still has to do (a release to publish), retried until done or failed.
CREATE TABLE delivery (
    integration_id  uuid        NOT NULL REFERENCES integration (id) ON DELETE CASCADE,
    delivery_id     text        NOT NULL,
    event           text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('received', 'pending', 'done', 'failed')),
    work            jsonb,
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    detail          text,
    received_at     timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (integration_id, delivery_id)
);
CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX delivery_recent ON delivery (integration_id, received_at DESC);
CREATE INDEX delivery_age ON delivery (received_at);
