-- Tenants, their members and API keys, and the gateway's signing keys.

CREATE TABLE tenant (
    id          text        PRIMARY KEY CHECK (length(id) <= 63 AND id ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'),
    name        text        NOT NULL,
    plan        text        NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A human (identified as <identity provider>:<sub>) and their role in one tenant.
CREATE TABLE member (
    tenant_id   text        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    subject     text        NOT NULL,
    role        text        NOT NULL CHECK (role IN ('viewer', 'builder', 'publisher', 'admin', 'platform-admin')),
    added_by    text        NOT NULL,
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, subject)
);
CREATE INDEX member_subject ON member (subject);

-- Machine credentials: dbp_<id>_<secret>; only SHA-256 of the secret is kept.
CREATE TABLE api_key (
    id           text        PRIMARY KEY,
    tenant_id    text        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    roles        text[]      NOT NULL,
    secret_hash  bytea       NOT NULL,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    revoked_by   text
);
CREATE INDEX api_key_tenant ON api_key (tenant_id);

-- Keys that sign internal JWTs. Private keys are encrypted (AES-256-GCM) with the configured key-encryption key.
-- A key is published in the JWKS from created_at, signs from activates_at, and leaves the JWKS at retires_at.
CREATE TABLE signing_key (
    kid            text        PRIMARY KEY,
    algorithm      text        NOT NULL,
    public_jwk     text        NOT NULL,
    private_key    bytea       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    activates_at   timestamptz NOT NULL,
    retires_at     timestamptz
);
