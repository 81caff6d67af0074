-- Semantic search: each SDK's metadata embedded by the inference service's text embedding model (a unit vector of
-- 384 floats), kept next to the row. A change to what is embedded (or to who may see the SDK, which the replicas'
-- in-memory index filters on) marks the row stale and bumps its generation; the embedder re-embeds stale rows and
-- writes back only if the generation is still the one it read, so an edit made while it worked is never overwritten
-- with the embedding of the text before it.
ALTER TABLE sdk
    ADD COLUMN embedding                real[],
    ADD COLUMN embedding_stale          boolean     NOT NULL DEFAULT true,
    ADD COLUMN embedding_generation     bigint      NOT NULL DEFAULT 0,
    ADD COLUMN embedded_at              timestamptz,
    -- a replica working on the row (several replicas share the backlog without embedding a row twice)
    ADD COLUMN embedding_claimed_until  timestamptz;

CREATE INDEX sdk_embedding_stale ON sdk (updated_at) WHERE embedding_stale;
-- what the replicas' indexes read as they catch up
CREATE INDEX sdk_embedded_at ON sdk (embedded_at) WHERE embedded_at IS NOT NULL;

CREATE FUNCTION sdk_embedding_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.name, NEW.title, NEW.description, NEW.tags, NEW.categories, NEW.visibility)
            IS DISTINCT FROM (OLD.name, OLD.title, OLD.description, OLD.tags, OLD.categories, OLD.visibility) THEN
        NEW.embedding_stale := true;
        NEW.embedding_generation := OLD.embedding_generation + 1;
        NEW.embedding_claimed_until := NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER sdk_embedding_stale BEFORE UPDATE OF name, title, description, tags, categories, visibility
    ON sdk FOR EACH ROW EXECUTE FUNCTION sdk_embedding_stale();
