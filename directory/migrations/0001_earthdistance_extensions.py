from django.contrib.postgres.operations import CreateExtension
from django.db import migrations


class Migration(migrations.Migration):
    """cube + earthdistance power nearby search. earthdistance is not a trusted extension:
    the migrating role must be a superuser the first time (see README, Deploying)."""

    initial = True
    dependencies = []

    operations = [
        CreateExtension("cube"),
        CreateExtension("earthdistance"),
        # 1.2 schema-qualifies its function bodies (safe restores, PostgreSQL 17+ index
        # builds); servers that only ship 1.1 (PostgreSQL 15) keep 1.1.
        migrations.RunSQL("ALTER EXTENSION earthdistance UPDATE", migrations.RunSQL.noop),
    ]
