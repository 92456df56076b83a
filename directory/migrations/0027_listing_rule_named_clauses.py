from django.db import migrations

from common.sql_files import run_sql_file


class Migration(migrations.Migration):
    """The listing rule split into named clauses (published, licensed days, barred days), so
    the dashboard's checklist evaluates the same SQL as the listing. The days computed are
    the same; no location's listing_days changes."""

    dependencies = [("directory", "0026_practitioner_clinic_limit")]

    operations = [
        run_sql_file("directory", "listing_rule.sql", checksum="a5468c8d21fab102"),
    ]
