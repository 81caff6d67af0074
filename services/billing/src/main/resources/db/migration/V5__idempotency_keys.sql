-- Answers to writes sent with an Idempotency-Key (platform-common IdempotencyFilters): a retry with the same key gets
-- the first answer. status is NULL while the first request is still being processed.
CREATE TABLE idempotency_key (
    tenant       text        NOT NULL,
    key          text        NOT NULL,
    fingerprint  bytea       NOT NULL,
    status       integer,
    content_type text,
    location     text,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, key)
);
CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);
