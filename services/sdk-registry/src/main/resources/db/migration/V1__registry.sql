-- The SDK registry's schema. Versions are never deleted or rewritten: immutability is enforced here as well as
-- in the code (unique key on the precedence-relevant part of the version, trigger against identity changes).

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE TABLE publisher (
    id            uuid PRIMARY KEY,
    tenant        text        NOT NULL,
    name          text        NOT NULL UNIQUE
                  CHECK (length(name) <= 64 AND name ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'),
    display_name  text        NOT NULL,
    url           text,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX publisher_tenant ON publisher (tenant);

CREATE TABLE sdk (
    id                 uuid PRIMARY KEY,
    name               text        NOT NULL UNIQUE
                       CHECK (length(name) <= 64 AND name ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'),
    tenant             text        NOT NULL,
    publisher_id       uuid        NOT NULL REFERENCES publisher (id),
    title              text        NOT NULL,
    description        text        NOT NULL DEFAULT '',
    license            text        NOT NULL,
    homepage           text,
    repository         text,
    tags               text[]      NOT NULL DEFAULT '{}',
    categories         text[]      NOT NULL DEFAULT '{}',
    visibility         text        NOT NULL CHECK (visibility IN ('public', 'private')),
    latest_version_id  uuid,
    -- README of the latest version, kept here for search
    readme             text        NOT NULL DEFAULT '',
    downloads          bigint      NOT NULL DEFAULT 0,
    created_by         text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- maintained by sdk_search_columns(): ranked full text and the text trigram similarity runs on
    search_vector      tsvector    NOT NULL DEFAULT ''::tsvector,
    search_text        text        NOT NULL DEFAULT ''
);
CREATE INDEX sdk_tenant ON sdk (tenant);
CREATE INDEX sdk_publisher ON sdk (publisher_id);
CREATE INDEX sdk_search_vector ON sdk USING gin (search_vector);
CREATE INDEX sdk_search_text_trgm ON sdk USING gin (search_text gin_trgm_ops);
CREATE INDEX sdk_tags ON sdk USING gin (tags);
CREATE INDEX sdk_categories ON sdk USING gin (categories);
CREATE INDEX sdk_downloads ON sdk (downloads DESC, id);
CREATE INDEX sdk_updated ON sdk (updated_at DESC, id);

CREATE FUNCTION sdk_search_columns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('simple', NEW.name), 'A') ||
        setweight(to_tsvector('english', NEW.title), 'A') ||
        setweight(to_tsvector('english', array_to_string(NEW.tags, ' ')), 'B') ||
        setweight(to_tsvector('english', array_to_string(NEW.categories, ' ')), 'B') ||
        setweight(to_tsvector('english', NEW.description), 'C') ||
        setweight(to_tsvector('english', left(NEW.readme, 100000)), 'D');
    NEW.search_text := NEW.name || ' ' || NEW.title || ' ' || array_to_string(NEW.tags, ' ');
    RETURN NEW;
END
$$;
CREATE TRIGGER sdk_search_columns BEFORE INSERT OR UPDATE OF name, title, tags, categories, description, readme
    ON sdk FOR EACH ROW EXECUTE FUNCTION sdk_search_columns();

CREATE TABLE sdk_version (
    id                    uuid PRIMARY KEY,
    sdk_id                uuid        NOT NULL REFERENCES sdk (id),
    version               text        NOT NULL,
    -- the version without build metadata: 1.0.0+a and 1.0.0+b are the same version (SemVer 2.0 §10)
    version_key           text        NOT NULL,
    prerelease            boolean     NOT NULL,
    readme                text        NOT NULL DEFAULT '',
    image                 text,
    image_digest          text CHECK (image_digest IS NULL OR image_digest ~ '^sha256:[0-9a-f]{64}$'),
    environment_template  jsonb,
    artifact_key          text,
    artifact_size         bigint,
    artifact_integrity    text,
    artifact_media_type   text,
    artifact_filename     text,
    artifact_uploaded_at  timestamptz,
    yanked                boolean     NOT NULL DEFAULT false,
    yank_reason           text,
    yanked_at             timestamptz,
    deprecation_message   text,
    deprecated_at         timestamptz,
    published_by          text        NOT NULL,
    published_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (sdk_id, version_key)
);

-- A version's identity and content never change once published; the artifact is attached once.
CREATE FUNCTION sdk_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sdk_id <> OLD.sdk_id OR NEW.version <> OLD.version OR NEW.readme <> OLD.readme
       OR NEW.image IS DISTINCT FROM OLD.image OR NEW.image_digest IS DISTINCT FROM OLD.image_digest
       OR NEW.environment_template IS DISTINCT FROM OLD.environment_template
       OR (OLD.artifact_key IS NOT NULL AND (NEW.artifact_key IS DISTINCT FROM OLD.artifact_key
           OR NEW.artifact_integrity IS DISTINCT FROM OLD.artifact_integrity)) THEN
        RAISE EXCEPTION 'sdk_version % is immutable', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sdk_version_immutable BEFORE UPDATE ON sdk_version
    FOR EACH ROW EXECUTE FUNCTION sdk_version_immutable();
CREATE FUNCTION sdk_version_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'sdk_version % cannot be deleted; yank it instead', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER sdk_version_no_delete BEFORE DELETE ON sdk_version
    FOR EACH ROW EXECUTE FUNCTION sdk_version_no_delete();

ALTER TABLE sdk ADD CONSTRAINT sdk_latest_version FOREIGN KEY (latest_version_id) REFERENCES sdk_version (id);

CREATE TABLE dist_tag (
    sdk_id      uuid        NOT NULL REFERENCES sdk (id),
    tag         text        NOT NULL CHECK (tag ~ '^[a-z][a-z0-9-]{0,31}$'),
    version_id  uuid        NOT NULL REFERENCES sdk_version (id),
    updated_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sdk_id, tag)
);

CREATE TABLE download_daily (
    version_id  uuid   NOT NULL REFERENCES sdk_version (id),
    day         date   NOT NULL,
    downloads   bigint NOT NULL,
    PRIMARY KEY (version_id, day)
);
