from django.db import migrations

REFUSE_TRUNCATE = """
-- The row-level trigger of 0003 refuses UPDATE and DELETE (cascades included: a foreign
-- key's ON DELETE CASCADE deletes row by row and fires it). TRUNCATE removes rows without
-- row triggers, alone or through TRUNCATE ... CASCADE on a credential table, so it needs a
-- statement-level trigger of its own. Same function, same message.
CREATE TRIGGER directory_verificationevent_no_truncate
    BEFORE TRUNCATE ON directory_verificationevent
    FOR EACH STATEMENT EXECUTE FUNCTION directory_refuse_verification_event_change();
"""

ALLOW_TRUNCATE = """
DROP TRIGGER directory_verificationevent_no_truncate ON directory_verificationevent;
"""

LISTING_DAYS_INDEX = """
-- directory_location_listing_days(practitioner, country, region) reads one practitioner's
-- verified licenses. Without statistics (a bulk load before ANALYZE) PostgreSQL 15 chose the
-- unique (country, region, license_type, number) index for it and read every license of the
-- state for each location. This index matches more of the function's equalities
-- (practitioner, status, country) than any other, so it is the cheapest path whatever the
-- statistics say.
CREATE INDEX directory_license_verified_by_practitioner
    ON directory_license (practitioner_id, country)
    WHERE status = 'verified';
"""

DROP_LISTING_DAYS_INDEX = """
DROP INDEX directory_license_verified_by_practitioner;
"""


class Migration(migrations.Migration):
    """The verification log also refuses TRUNCATE; the listing-days function gets an index
    that keeps bulk imports and rebuilds linear on every supported PostgreSQL."""

    dependencies = [("directory", "0012_practitioner_gender_and_pronouns")]

    operations = [
        migrations.RunSQL(REFUSE_TRUNCATE, ALLOW_TRUNCATE),
        migrations.RunSQL(LISTING_DAYS_INDEX, DROP_LISTING_DAYS_INDEX),
    ]
