from django.db import migrations, models

# The techniques practitioners list on their profiles (0002_vocabulary); everything added
# later (drugs, devices, comparators such as sham acupuncture) defaults to not a technique.
TECHNIQUES = [
    "acupuncture",
    "electroacupuncture",
    "scalp-acupuncture",
    "auricular-acupuncture",
    "cupping",
    "moxibustion",
    "chinese-herbal-medicine",
]


def mark_techniques(apps, schema_editor):
    Intervention = apps.get_model("evidence", "Intervention")
    Intervention.objects.filter(slug__in=TECHNIQUES).update(is_technique=True)


class Migration(migrations.Migration):
    """Interventions now include what techniques are compared with; the flag lets search
    offer only real techniques."""

    dependencies = [("evidence", "0002_vocabulary")]

    operations = [
        migrations.AddField(
            model_name="intervention",
            name="is_technique",
            field=models.BooleanField(
                default=False,
                help_text="A technique practitioners offer and list on their profiles (acupuncture, "
                "cupping, ...). Off for drugs, devices and comparators such as sham acupuncture.",
            ),
        ),
        migrations.RunPython(mark_techniques, migrations.RunPython.noop),
    ]
