from django.db import migrations, models

from common.sql_files import run_sql_file
from ops.directory_version import attach_triggers, detach_triggers


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("directory", "0026_practitioner_clinic_limit"),
        ("credentialing", "0008_rules_from_sql_files"),
        ("evidence", "0008_rules_from_sql_files"),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectoryVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"db_table": "ops_directory_version"},
        ),
        migrations.RunSQL(
            "INSERT INTO ops_directory_version (id, value) VALUES (1, 0)",
            migrations.RunSQL.noop,
        ),
        run_sql_file("ops", "directory_version.sql", checksum="06db0ffd20cdabe0"),
        migrations.RunPython(attach_triggers, detach_triggers),
    ]
