-- Phase 2: invoices (draft -> issued), gapless numbering, credit notes, and the usage snapshot behind late-event
-- adjustments.

-- One invoice per subscription and billing period. A DRAFT is recomputed from the buckets on every invoicing run
-- until grace_until (late events still land on it); then it is ISSUED: numbered, and frozen by the trigger below.
CREATE TABLE invoice (
    id              uuid PRIMARY KEY,
    tenant          text        NOT NULL,
    subscription_id uuid        NOT NULL REFERENCES subscription (id),
    period_start    date        NOT NULL,
    period_end      date        NOT NULL,
    currency        char(3)     NOT NULL,
    status          text        NOT NULL CHECK (status IN ('DRAFT', 'ISSUED')),
    number          text UNIQUE,
    seq             bigint UNIQUE,
    lines           jsonb       NOT NULL,
    total           numeric     NOT NULL,
    grace_until     timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    issued_at       timestamptz,
    UNIQUE (subscription_id, period_start),
    CHECK ((status = 'ISSUED') = (number IS NOT NULL AND seq IS NOT NULL AND issued_at IS NOT NULL))
);
CREATE INDEX invoice_tenant ON invoice (tenant, period_start DESC);
CREATE INDEX invoice_drafts ON invoice (grace_until) WHERE status = 'DRAFT';

-- Issued invoices and credit notes never change or disappear: corrections are credit notes, late usage an
-- adjustment on the next invoice.
CREATE FUNCTION issued_document_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'credit_note' OR OLD.status = 'ISSUED' THEN
        RAISE EXCEPTION '% % is issued and immutable; correct it with a credit note', TG_TABLE_NAME, OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER invoice_issued_immutable BEFORE UPDATE OR DELETE ON invoice
    FOR EACH ROW EXECUTE FUNCTION issued_document_immutable();

-- Gapless numbers: one counter row per issuer and document kind, incremented in the transaction that issues. A
-- sequence is not gapless (nextval is never rolled back, and caches lose values on crash); this row is, because a
-- rolled-back issue rolls its increment back too. The price: issues are serialised on the row lock (short).
CREATE TABLE document_counter (
    series      text PRIMARY KEY,
    last_number bigint NOT NULL
);
INSERT INTO document_counter (series, last_number) VALUES ('INV', 0), ('CN', 0);

CREATE TABLE credit_note (
    id         uuid PRIMARY KEY,
    tenant     text        NOT NULL,
    invoice_id uuid        NOT NULL REFERENCES invoice (id),
    number     text        NOT NULL UNIQUE,
    seq        bigint      NOT NULL UNIQUE,
    amount     numeric     NOT NULL CHECK (amount > 0),
    reason     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text        NOT NULL
);
CREATE INDEX credit_note_invoice ON credit_note (invoice_id);
CREATE TRIGGER credit_note_immutable BEFORE UPDATE OR DELETE ON credit_note
    FOR EACH ROW EXECUTE FUNCTION issued_document_immutable();

-- What each issued period has billed per meter (usage charges and fee bases): the period totals at issue, raised
-- when a later invoice bills late events of that period as an adjustment. Late usage = the period's total now minus
-- this snapshot, so every aggregation (MAX and UNIQUE_COUNT included) and every tier model adjusts exactly.
CREATE TABLE invoiced_usage (
    subscription_id uuid    NOT NULL REFERENCES subscription (id),
    period_start    date    NOT NULL,
    meter           text    NOT NULL,
    quantity        numeric NOT NULL,
    PRIMARY KEY (subscription_id, period_start, meter)
);
