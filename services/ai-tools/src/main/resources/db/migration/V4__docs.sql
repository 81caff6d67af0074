-- "Ask the docs": passages of the platform's documentation and of SDK READMEs, searched with PostgreSQL full text
-- (headings weighted above bodies). scope: 'platform' for the platform's docs, the owning tenant for an SDK's README;
-- public: every tenant may see it (the platform's docs, a public SDK's README).
CREATE TABLE doc_passage (
    id         bigserial PRIMARY KEY,
    scope      text        NOT NULL,
    public     boolean     NOT NULL,
    sdk        text,
    version    text,
    source     text        NOT NULL,
    heading    text        NOT NULL,
    anchor     text,
    body       text        NOT NULL,
    tsv        tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', heading), 'A')
                   || setweight(to_tsvector('english', body), 'B')) STORED,
    indexed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX doc_passage_tsv ON doc_passage USING gin (tsv);
CREATE INDEX doc_passage_sdk ON doc_passage (sdk) WHERE sdk IS NOT NULL;

-- what was indexed: the platform docs' digest, so that a replica (re)indexes them only when they changed
CREATE TABLE doc_corpus (
    name       text PRIMARY KEY,
    digest     text        NOT NULL,
    indexed_at timestamptz NOT NULL
);
