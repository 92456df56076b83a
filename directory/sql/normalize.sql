-- Text search that ignores case and accents ("sao paulo" finds São Paulo): the gazetteer's
-- generated `search_name` and the search's indexes call it (directory.expressions.Normalize).
-- unaccent() is only STABLE, so it cannot sit in an index expression or a generated column;
-- this IMMUTABLE wrapper names its dictionary, which is what makes its answer fixed.
CREATE OR REPLACE FUNCTION meridian_normalize(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
