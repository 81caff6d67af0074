-- How far a tenant trusts identity-provider tokens that name it: the highest tenant role such a token grants there
-- ('none': none; members granted a role keep theirs). Tenant admins set it; 'admin' trusts the provider's groups fully.
ALTER TABLE tenant ADD COLUMN idp_max_role text NOT NULL DEFAULT 'admin'
    CHECK (idp_max_role IN ('none', 'viewer', 'builder', 'publisher', 'admin'));

-- People who signed in through an identity provider into a tenant their token names: members just in time. Their
-- roles are always their current token's (capped by idp_max_role); the row keeps, for the tenant's admins, who they
-- are, where from, when they first and last signed in (the token's auth_time) and the roles of their latest token.
CREATE TABLE sign_in (
    tenant_id      text        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    subject        text        NOT NULL,
    idp            text        NOT NULL,
    name           text,
    email          text,
    roles          text[]      NOT NULL,
    first_at       timestamptz NOT NULL,
    last_at        timestamptz NOT NULL,
    last_token_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, subject)
);
