-- environment.minutes bookkeeping: how many whole minutes of each Ready period have gone to the outbox. The event
-- ids are derived from (environment uid, ready since, minute index), so even if this table were lost, re-emitting
-- gives the same ids and billing counts each minute once.
CREATE TABLE usage_periods (
    environment_uid text        NOT NULL,
    ready_since     timestamptz NOT NULL,
    tenant          text        NOT NULL,
    environment     text        NOT NULL,
    minutes_emitted bigint      NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (environment_uid, ready_since)
);
