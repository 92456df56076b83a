from django.db import migrations

from common.sql_files import run_sql_file


class Migration(migrations.Migration):
    """The verification log's guards and the status-needs-event check, installed from their
    files (credentialing/sql/), which hold their current definitions from now on. The text
    is the one already installed: nothing changes in the database."""

    dependencies = [("credentialing", "0007_python_side_defaults")]

    operations = [
        run_sql_file("credentialing", "verification_log.sql", checksum="ab72f9ea6dd314a5"),
        run_sql_file("credentialing", "status_needs_event.sql", checksum="32a8ecad1403e901"),
    ]
