from django.db import migrations

APPEND_ONLY = """
CREATE FUNCTION directory_refuse_verification_event_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'directory_verificationevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER directory_verificationevent_append_only
    BEFORE UPDATE OR DELETE ON directory_verificationevent
    FOR EACH ROW EXECUTE FUNCTION directory_refuse_verification_event_change();
"""

DROP = """
DROP TRIGGER directory_verificationevent_append_only ON directory_verificationevent;
DROP FUNCTION directory_refuse_verification_event_change();
"""


class Migration(migrations.Migration):
    """The verification log records every credential decision; once written, a row can
    never be changed or removed, whatever client talks to the database."""

    dependencies = [("directory", "0002_models")]

    operations = [migrations.RunSQL(APPEND_ONLY, DROP)]
