-- A study's author list as one string, for its generated search vector
-- (evidence.models.AuthorsText). array_to_string() is only STABLE, so it cannot feed a
-- generated column; for text[] its result never changes, which is what IMMUTABLE promises.
CREATE OR REPLACE FUNCTION evidence_authors_text(text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT pg_catalog.array_to_string($1, ' ') $$;
