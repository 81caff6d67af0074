-- The model catalog: a model is a tenant's name with immutable versions; the bytes live in the blob store.
CREATE TABLE model (
    tenant_id       text        NOT NULL,
    name            text        NOT NULL,
    description     text        NOT NULL DEFAULT '',
    -- private: its tenant only; public: every tenant (platform models)
    visibility      text        NOT NULL CHECK (visibility IN ('private', 'public')),
    default_version text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);

-- one public model per name, so a name resolves to at most one model outside the caller's own tenant
CREATE UNIQUE INDEX model_public_name ON model (name) WHERE visibility = 'public';

CREATE TABLE model_version (
    id          uuid        PRIMARY KEY,
    tenant_id   text        NOT NULL,
    name        text        NOT NULL,
    version     text        NOT NULL,
    blob_key    text        NOT NULL,
    size_bytes  bigint      NOT NULL,
    sha256      text        NOT NULL,
    -- what the model itself declares (read by ONNX Runtime at upload): [{name, datatype, shape}], -1 = dynamic
    inputs      jsonb       NOT NULL,
    outputs     jsonb       NOT NULL,
    -- what every replica should have in memory: loaded or unloaded
    desired     text        NOT NULL DEFAULT 'loaded' CHECK (desired IN ('loaded', 'unloaded')),
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name, version),
    FOREIGN KEY (tenant_id, name) REFERENCES model (tenant_id, name) ON DELETE CASCADE
);
