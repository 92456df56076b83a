from django.db import migrations

# Close spellings (gazetteer.misspelt) are names with the typed text's first letter and a
# length within the slips allowed. This index answers exactly that range and carries the
# name and id, so the slips are counted from the index alone (an index-only scan, once
# VACUUM has marked the static table visible) and only the few matches are read from the
# table; through the prefix index PostgreSQL read every city with that first letter, about
# 10,000 rows for "s", to keep a handful.
SPELLING = """
CREATE INDEX directory_place_spelling ON directory_place
    (left(search_name, 1), length(search_name))
    INCLUDE (search_name, id)
    WHERE kind = 'city';
"""


class Migration(migrations.Migration):
    dependencies = [("directory", "0022_python_side_defaults")]

    operations = [
        migrations.RunSQL(SPELLING, "DROP INDEX directory_place_spelling"),
    ]
