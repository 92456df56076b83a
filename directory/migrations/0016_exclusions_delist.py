from django.db import migrations

# An exact LEIE match (or one staff confirmed) takes away the days from `delisted_from` until
# `reinstated_on`; the NPI clause of 0012 stays. Only the function and one trigger change.
LISTING_DAYS = """
CREATE OR REPLACE FUNCTION directory_location_listing_days(practitioner bigint, country varchar, region varchar)
RETURNS datemultirange LANGUAGE sql STABLE AS $$
    SELECT coalesce(range_agg(daterange(l.issued_on, l.expires_on, '[]')), '{}')
        - CASE WHEN min(p.npi_deactivated_on) IS NULL THEN '{}'::datemultirange
               ELSE datemultirange(daterange(min(p.npi_deactivated_on), NULL)) END
        - coalesce((SELECT range_agg(daterange(e.delisted_from, e.reinstated_on))
                    FROM credentialing_exclusionmatch e
                    WHERE e.practitioner_id = $1 AND e.status IN ('excluded', 'confirmed', 'reinstated')
                      AND e.delisted_from IS NOT NULL), '{}')
    FROM directory_license l
    JOIN directory_practitioner p ON p.id = l.practitioner_id
    WHERE l.practitioner_id = $1 AND p.published AND l.status = 'verified'
      AND l.country = $2 AND (l.region = '' OR l.region = $3)
$$;

CREATE TRIGGER credentialing_exclusionmatch_listing_days
    AFTER INSERT OR DELETE OR UPDATE OF practitioner_id, status, delisted_from, reinstated_on
    ON credentialing_exclusionmatch
    FOR EACH ROW EXECUTE FUNCTION directory_refresh_listing_days();
"""

UNDO = """
DROP TRIGGER credentialing_exclusionmatch_listing_days ON credentialing_exclusionmatch;
CREATE OR REPLACE FUNCTION directory_location_listing_days(practitioner bigint, country varchar, region varchar)
RETURNS datemultirange LANGUAGE sql STABLE AS $$
    SELECT coalesce(range_agg(daterange(l.issued_on, l.expires_on, '[]')), '{}')
        - CASE WHEN min(p.npi_deactivated_on) IS NULL THEN '{}'::datemultirange
               ELSE datemultirange(daterange(min(p.npi_deactivated_on), NULL)) END
    FROM directory_license l
    JOIN directory_practitioner p ON p.id = l.practitioner_id
    WHERE l.practitioner_id = $1 AND p.published AND l.status = 'verified'
      AND l.country = $2 AND (l.region = '' OR l.region = $3)
$$;
"""


class Migration(migrations.Migration):
    """The exclusion clause of the listing rule, in the same `listing_days` column: the
    search still checks one column. directory_refresh_listing_days (0008) already handles
    a row with `practitioner_id`, so the exclusion table reuses it."""

    dependencies = [
        ("directory", "0015_npi_deactivation_delists"),
        ("credentialing", "0004_exclusion_matches"),
    ]

    operations = [migrations.RunSQL(LISTING_DAYS, UNDO)]
