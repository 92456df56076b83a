from django.db import migrations, models


class Migration(migrations.Migration):
    """The language a practitioner's bio is written in ("" = not said), so the public profile
    can mark the bio with lang="..."."""

    dependencies = [("directory", "0027_listing_rule_named_clauses")]

    operations = [
        migrations.AddField(
            model_name="practitioner",
            name="bio_language",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                max_length=16,
                verbose_name="language your bio is written in",
            ),
        ),
    ]
