from django.db import migrations

from common.sql_files import run_sql_file


class Migration(migrations.Migration):
    """The listing rule's function and triggers and the text normaliser, installed from
    their files (directory/sql/), which hold their current definitions from now on. The
    text is the one already installed: nothing changes in the database."""

    dependencies = [("directory", "0023_place_spelling_index")]

    operations = [
        run_sql_file("directory", "normalize.sql", checksum="d0ec560a98a5be16"),
        run_sql_file("directory", "listing_rule.sql", checksum="fc9c7cf6cd2dd1e8"),
    ]
