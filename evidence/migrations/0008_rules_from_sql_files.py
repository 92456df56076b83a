from django.db import migrations

from common.sql_files import run_sql_file


class Migration(migrations.Migration):
    """The author-list function, installed from its file (evidence/sql/), which holds its
    current definition from now on. The text is the one already installed."""

    dependencies = [("evidence", "0007_vocabulary_for_the_evidence_additions")]

    operations = [run_sql_file("evidence", "authors_text.sql", checksum="9ed17175145c6648")]
