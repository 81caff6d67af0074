-- billing.v1: invoices issued and plan limits near leave through the event outbox (platform-common). A limit's
-- warning is sent once per tenant, feature, period and threshold: this table remembers which were.
CREATE TABLE limit_warning (
    tenant       text        NOT NULL,
    feature      text        NOT NULL,
    period_start date        NOT NULL,
    percent      int         NOT NULL,
    warned_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, feature, period_start, percent)
);
