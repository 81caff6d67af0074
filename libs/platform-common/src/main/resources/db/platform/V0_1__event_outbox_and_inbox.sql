-- Shared by every service (libs/platform-common), created in the service's own schema.

-- Events waiting to be published to Kafka (transactional outbox, see Outbox / OutboxRelay).
CREATE TABLE event_outbox (
    seq         bigserial PRIMARY KEY,
    topic       text        NOT NULL,
    record_key  text,
    event_id    text        NOT NULL,
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Events already consumed, for deduplication on (source, id) (see Inbox).
CREATE TABLE event_inbox (
    source      text        NOT NULL,
    event_id    text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, event_id)
);
CREATE INDEX event_inbox_received_at ON event_inbox (received_at);
