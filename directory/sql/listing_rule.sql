-- The listing rule: who may appear in search.
--
-- A location is listed on day D when its `listing_days` column contains D:
--
--     listing_days @> D          (Location.objects.listable(), directory/models/location.py)
--
-- and, where REVERIFY_ENFORCE is on, one of the licenses covering it on D was also confirmed
-- by a primary source within REVERIFY_AFTER_DAYS of D (checked there too, at query time).
-- D is compared at query time, never by a nightly job, so a license stops counting the day
-- after it expires and a match or deactivation the day it starts.
--
-- `listing_days` is computed here, by the database, on every write: the days the
-- practitioner is published and holds a verified license in force for the location's
-- country (a national license) or region, less the days from the NPI's deactivation in
-- NPPES on, less the days an exclusion (an exact LEIE match, or one staff confirmed) takes
-- away until reinstatement. The application never writes the column; any client that
-- writes a location gets it computed.

-- The rule is written as named clauses, each a function of its own, so that the
-- dashboard's "your listing" checklist (directory/listing.py) evaluates the very same
-- clauses to tell a practitioner which one holds them back: never a second copy of the rule.
--
-- Clause "published": the practitioner chose to be shown.
CREATE OR REPLACE FUNCTION directory_listing_published(practitioner bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT p.published FROM directory_practitioner p WHERE p.id = $1), false)
$$;

-- Clause "licensed": the days a verified license is in force for the location's country
-- (a national license) or region.
CREATE OR REPLACE FUNCTION directory_listing_licensed_days(practitioner bigint, country varchar, region varchar)
RETURNS datemultirange LANGUAGE sql STABLE AS $$
    SELECT coalesce(range_agg(daterange(l.issued_on, l.expires_on, '[]')), '{}')
    FROM directory_license l
    WHERE l.practitioner_id = $1 AND l.status = 'verified'
      AND l.country = $2 AND (l.region = '' OR l.region = $3)
$$;

-- Clause "not barred": the days taken away, from the NPI's deactivation in NPPES on, and
-- those an exclusion (an exact LEIE match, or one staff confirmed) takes until reinstatement.
CREATE OR REPLACE FUNCTION directory_listing_barred_days(practitioner bigint)
RETURNS datemultirange LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT datemultirange(daterange(p.npi_deactivated_on, NULL))
                     FROM directory_practitioner p
                     WHERE p.id = $1 AND p.npi_deactivated_on IS NOT NULL), '{}')
        + coalesce((SELECT range_agg(daterange(e.delisted_from, e.reinstated_on))
                    FROM credentialing_exclusionmatch e
                    WHERE e.practitioner_id = $1 AND e.status IN ('excluded', 'confirmed', 'reinstated')
                      AND e.delisted_from IS NOT NULL), '{}')
$$;

-- The days a location may be listed: the clauses above, together.
CREATE OR REPLACE FUNCTION directory_location_listing_days(practitioner bigint, country varchar, region varchar)
RETURNS datemultirange LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN directory_listing_published($1)
                THEN directory_listing_licensed_days($1, $2, $3) - directory_listing_barred_days($1)
                ELSE '{}'::datemultirange END
$$;

-- The function reads one practitioner's verified licenses. Without statistics (a bulk load
-- before ANALYZE) PostgreSQL 15 chose the unique (country, region, license_type, number)
-- index for it and read every license of the state for each location. This index matches
-- more of the function's equalities (practitioner, status, country) than any other, so it is
-- the cheapest path whatever the statistics say. (IF NOT EXISTS: re-running this file keeps
-- the index; a changed definition needs DROP INDEX first.)
CREATE INDEX IF NOT EXISTS directory_license_verified_by_practitioner
    ON directory_license (practitioner_id, country)
    WHERE status = 'verified';

-- Whatever a client writes, a location's listing days are computed on every write.
CREATE OR REPLACE FUNCTION directory_location_set_listing_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.listing_days := directory_location_listing_days(NEW.practitioner_id, NEW.country, NEW.region);
    RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER directory_location_listing_days
    BEFORE INSERT OR UPDATE ON directory_location
    FOR EACH ROW EXECUTE FUNCTION directory_location_set_listing_days();

-- A change to a license, an exclusion match or a practitioner recomputes that
-- practitioner's locations (touching them runs the trigger above). The license and the
-- exclusion match tables both carry `practitioner_id`, so one function serves all three.
CREATE OR REPLACE FUNCTION directory_refresh_listing_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'directory_practitioner' THEN
        UPDATE directory_location SET listing_days = NULL WHERE practitioner_id = NEW.id;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE directory_location SET listing_days = NULL WHERE practitioner_id = OLD.practitioner_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.practitioner_id <> OLD.practitioner_id) THEN
        UPDATE directory_location SET listing_days = NULL WHERE practitioner_id = NEW.practitioner_id;
    END IF;
    RETURN NULL;
END;
$$;

-- A license counts only while it is verified, so a change that leaves it unverified before
-- and after cannot change any listing days: each license trigger tests that in its WHEN
-- clause, and an import entering thousands of pending licenses rewrites no clinic.
CREATE OR REPLACE TRIGGER directory_license_listing_days_insert
    AFTER INSERT ON directory_license
    FOR EACH ROW WHEN (NEW.status = 'verified')
    EXECUTE FUNCTION directory_refresh_listing_days();

CREATE OR REPLACE TRIGGER directory_license_listing_days_update
    AFTER UPDATE OF practitioner_id, status, issued_on, expires_on, country, region
    ON directory_license
    FOR EACH ROW WHEN (OLD.status = 'verified' OR NEW.status = 'verified')
    EXECUTE FUNCTION directory_refresh_listing_days();

CREATE OR REPLACE TRIGGER directory_license_listing_days_delete
    AFTER DELETE ON directory_license
    FOR EACH ROW WHEN (OLD.status = 'verified')
    EXECUTE FUNCTION directory_refresh_listing_days();

CREATE OR REPLACE TRIGGER directory_practitioner_listing_days
    AFTER UPDATE OF published, npi_deactivated_on ON directory_practitioner
    FOR EACH ROW WHEN (OLD.published IS DISTINCT FROM NEW.published
                       OR OLD.npi_deactivated_on IS DISTINCT FROM NEW.npi_deactivated_on)
    EXECUTE FUNCTION directory_refresh_listing_days();

CREATE OR REPLACE TRIGGER credentialing_exclusionmatch_listing_days
    AFTER INSERT OR DELETE OR UPDATE OF practitioner_id, status, delisted_from, reinstated_on
    ON credentialing_exclusionmatch
    FOR EACH ROW EXECUTE FUNCTION directory_refresh_listing_days();
