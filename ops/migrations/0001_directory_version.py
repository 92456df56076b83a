from django.db import migrations, models

from ops.directory_version import attach_triggers, detach_triggers


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("directory", "0023_place_spelling_index"),
        ("credentialing", "0007_python_side_defaults"),
        ("evidence", "0005_vocabulary_for_the_evidence_seed"),
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
        migrations.RunPython(attach_triggers, detach_triggers),
    ]
