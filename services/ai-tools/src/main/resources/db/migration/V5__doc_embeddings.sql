-- "Ask the docs" by meaning: a passage's embedding (all-MiniLM-L6-v2, 384 floats, from the inference service) is kept
-- by the digest of the text that was embedded, so passages written again with the same text (the platform's docs
-- re-indexed after a deploy, a README republished unchanged, the same section in two SDKs) ask the model nothing.
ALTER TABLE doc_passage ADD COLUMN digest text GENERATED ALWAYS AS (md5(heading || E'\n' || body)) STORED;
CREATE INDEX doc_passage_digest ON doc_passage (digest);

CREATE TABLE doc_embedding (
    model       text        NOT NULL,
    digest      text        NOT NULL,
    embedding   real[]      NOT NULL,
    embedded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (model, digest)
);

-- one replica embeds at a time: whoever holds the lease (renewed while it works, taken over when it lapses)
CREATE TABLE doc_embedding_lease (
    name   text PRIMARY KEY,
    holder text        NOT NULL,
    until  timestamptz NOT NULL
);
