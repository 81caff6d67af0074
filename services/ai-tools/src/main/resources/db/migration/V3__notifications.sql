-- Notifications out: a tenant's subscriptions (which platform events go to which Slack, Teams or HTTPS webhook) and
-- one row per event to deliver to a subscription, retried until delivered or dead (a dead letter, replayable).
CREATE TABLE subscription (
    id               uuid PRIMARY KEY,
    tenant_id        text        NOT NULL,
    name             text        NOT NULL,
    channel          text        NOT NULL CHECK (channel IN ('slack', 'teams', 'webhook')),
    -- the URL, sealed: a Slack or Teams incoming-webhook URL is itself a credential
    target           bytea       NOT NULL,
    target_host      text        NOT NULL,
    -- webhook: the Standard Webhooks signing secret (whsec_...), sealed
    secret           bytea,
    events           text[]      NOT NULL,
    min_probability  double precision,
    min_threat_level text,
    norad_ids        int[],
    enabled          boolean     NOT NULL DEFAULT true,
    created_by       text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscription_by_tenant ON subscription (tenant_id, created_at, id);
CREATE INDEX subscription_by_event ON subscription USING gin (events);

CREATE TABLE notification (
    id              uuid PRIMARY KEY,
    subscription_id uuid        NOT NULL REFERENCES subscription (id) ON DELETE CASCADE,
    -- the platform event's id: an event reaches a subscription once, however often Kafka redelivers it
    event_id        text        NOT NULL,
    type            text        NOT NULL,
    payload         jsonb       NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    last_status     int,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX notification_due ON notification (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notification_by_subscription ON notification (subscription_id, created_at DESC, id);
CREATE INDEX notification_age ON notification (created_at);
