-- Phase 2: the plan catalog (versioned), plan-independent fee rules, subscriptions with their phase history.

-- A plan version is immutable: changing a plan (PUT) inserts version n+1, and subscriptions keep the version they
-- subscribed to (grandfathered, as in Kill Bill's catalog versions) until they change plan. Prices are data: charges
-- is a JSON array of {meter, included, price{model, ...}} (see Price.java), limits what entitlements will enforce.
CREATE TABLE plan (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         text        NOT NULL,
    version     int         NOT NULL CHECK (version > 0),
    name        text        NOT NULL,
    description text,
    currency    char(3)     NOT NULL,
    custom      boolean     NOT NULL DEFAULT false,
    charges     jsonb       NOT NULL DEFAULT '[]',
    limits      jsonb       NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text        NOT NULL DEFAULT 'migration',
    UNIQUE (key, version),
    CHECK (NOT custom OR charges = '[]'::jsonb)
);

CREATE FUNCTION plan_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'plan % version % is immutable; insert a new version', OLD.key, OLD.version
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER plan_version_immutable BEFORE UPDATE OR DELETE ON plan
    FOR EACH ROW EXECUTE FUNCTION plan_version_immutable();

-- Fees that apply whatever the plan: rate x the period total of a basis meter, on the tenant's invoice.
CREATE TABLE fee_rule (
    key         text PRIMARY KEY,
    description text    NOT NULL,
    basis_meter text    NOT NULL,
    rate        numeric NOT NULL CHECK (rate >= 0 AND rate <= 1),
    currency    char(3) NOT NULL
);

-- One active subscription per tenant (ended_on IS NULL); the plan history is in subscription_phase.
CREATE TABLE subscription (
    id         uuid PRIMARY KEY,
    tenant     text        NOT NULL,
    anchor_day smallint    NOT NULL CHECK (anchor_day BETWEEN 1 AND 28),
    start_date date        NOT NULL,
    ended_on   date,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text        NOT NULL
);
CREATE UNIQUE INDEX subscription_one_active ON subscription (tenant) WHERE ended_on IS NULL;
CREATE INDEX subscription_tenant ON subscription (tenant, created_at);

-- A phase: the plan version in force from start_date (a UTC day) on. Plan changes append phases; none is rewritten.
CREATE TABLE subscription_phase (
    subscription_id uuid        NOT NULL REFERENCES subscription (id),
    seq             int         NOT NULL,
    plan_id         bigint      NOT NULL REFERENCES plan (id),
    start_date      date        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      text        NOT NULL,
    PRIMARY KEY (subscription_id, seq)
);

-- The default catalog (USD). api.call is the gateway's meter (V2). Included usage is free each period; tiers count
-- the calls after it. Limits are what Entitlements.Check will enforce (null: unlimited).
INSERT INTO plan (key, version, name, description, currency, custom, charges, limits) VALUES
('free', 1, 'Free', 'Try the platform: no fee, hard limits instead of overage.', 'USD', false,
 '[]',
 '{"api.call": 10000, "environments": 1, "apiRateTier": "basic", "inferenceCallsPerMonth": 100}'),
('pro', 1, 'Pro', '99 USD a month; 100,000 API calls included, then graduated per-call prices.', 'USD', false,
 '[{"price": {"model": "FLAT", "amount": 99.00}},
   {"meter": "api.call", "included": 100000, "price": {"model": "GRADUATED", "tiers": [
       {"upTo": 1000000, "unitPrice": 0.0005}, {"upTo": null, "unitPrice": 0.0002}]}}]',
 '{"api.call": null, "environments": 3, "apiRateTier": "standard", "inferenceCallsPerMonth": 10000}'),
('team', 1, 'Team', '499 USD a month; 1,000,000 API calls included, then volume per-call prices.', 'USD', false,
 '[{"price": {"model": "FLAT", "amount": 499.00}},
   {"meter": "api.call", "included": 1000000, "price": {"model": "VOLUME", "tiers": [
       {"upTo": 10000000, "unitPrice": 0.0003}, {"upTo": null, "unitPrice": 0.00015}]}}]',
 '{"api.call": null, "environments": 10, "apiRateTier": "high", "inferenceCallsPerMonth": 100000}'),
('enterprise', 1, 'Enterprise', 'Custom contract: no list price; limits by agreement.', 'USD', true,
 '[]',
 '{"api.call": null, "environments": null, "apiRateTier": "dedicated", "inferenceCallsPerMonth": null}');

-- The marketplace fee: 10% of a publisher's paid SDK listing revenue, whatever its plan. Its basis meter does not
-- exist until the marketplace sells paid listings (a SUM meter of the sale amount); until then the rule bills nothing.
INSERT INTO fee_rule (key, description, basis_meter, rate, currency) VALUES
('marketplace-fee', 'Marketplace fee: 10% of paid SDK listing revenue', 'marketplace.paid-listing.revenue', 0.10, 'USD');
