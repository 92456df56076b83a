from django.db import migrations

# A license counts for a location's listing days only while it is verified (see 0008 and
# the function's later versions), so a change that leaves a license unverified before and
# after cannot change them. The one trigger of 0008 becomes three, each with that test in
# its WHEN clause: an NPPES import entering thousands of pending licenses no longer
# rewrites every one of their practitioners' clinics.
SPLIT = """
DROP TRIGGER directory_license_listing_days ON directory_license;
CREATE TRIGGER directory_license_listing_days_insert
    AFTER INSERT ON directory_license
    FOR EACH ROW WHEN (NEW.status = 'verified')
    EXECUTE FUNCTION directory_refresh_listing_days();
CREATE TRIGGER directory_license_listing_days_update
    AFTER UPDATE OF practitioner_id, status, issued_on, expires_on, country, region
    ON directory_license
    FOR EACH ROW WHEN (OLD.status = 'verified' OR NEW.status = 'verified')
    EXECUTE FUNCTION directory_refresh_listing_days();
CREATE TRIGGER directory_license_listing_days_delete
    AFTER DELETE ON directory_license
    FOR EACH ROW WHEN (OLD.status = 'verified')
    EXECUTE FUNCTION directory_refresh_listing_days();
"""

UNDO = """
DROP TRIGGER directory_license_listing_days_insert ON directory_license;
DROP TRIGGER directory_license_listing_days_update ON directory_license;
DROP TRIGGER directory_license_listing_days_delete ON directory_license;
CREATE TRIGGER directory_license_listing_days
    AFTER INSERT OR DELETE OR UPDATE OF practitioner_id, status, issued_on, expires_on, country, region
    ON directory_license
    FOR EACH ROW EXECUTE FUNCTION directory_refresh_listing_days();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0020_practitioner_photo"),
    ]

    operations = [migrations.RunSQL(SPLIT, UNDO)]
