-- READMEs get a full-text vector of their own. The ranked vector keeps to what users search for (name, title,
-- tags, categories, description) and stays small enough to rank thousands of matches in a few milliseconds; a
-- README match adds recall with a fixed, small relevance.
ALTER TABLE sdk ADD COLUMN readme_vector tsvector NOT NULL DEFAULT ''::tsvector;

CREATE OR REPLACE FUNCTION sdk_search_columns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('simple', NEW.name), 'A') ||
        setweight(to_tsvector('english', NEW.title), 'A') ||
        setweight(to_tsvector('english', array_to_string(NEW.tags, ' ')), 'B') ||
        setweight(to_tsvector('english', array_to_string(NEW.categories, ' ')), 'B') ||
        setweight(to_tsvector('english', NEW.description), 'C');
    NEW.readme_vector := to_tsvector('english', left(NEW.readme, 100000));
    NEW.search_text := NEW.name || ' ' || NEW.title || ' ' || array_to_string(NEW.tags, ' ');
    RETURN NEW;
END
$$;

UPDATE sdk SET readme = readme;
CREATE INDEX sdk_readme_vector ON sdk USING gin (readme_vector);
