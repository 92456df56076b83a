from django.db import migrations

# Names the starter evidence (evidence/data/evidence-seed.json) uses that 0002_vocabulary
# lacks: (name, slug, parent slug).
CONDITIONS = [
    ("Migraine without aura", "migraine-without-aura", "migraine"),
    ("Episodic migraine without aura", "episodic-migraine-without-aura", "episodic-migraine"),
]

# Variants of techniques, other treatments and comparators. None is a technique a
# practitioner lists (see Intervention.is_technique).
INTERVENTIONS = [
    ("Manual acupuncture", "manual-acupuncture"),
    ("Wet cupping", "wet-cupping"),
    ("Sham acupuncture", "sham-acupuncture"),
    ("No acupuncture / usual care", "no-acupuncture-usual-care"),
    ("Waiting list", "waiting-list"),
    ("Prophylactic drug treatment", "prophylactic-drug-treatment"),
    ("Triptans", "triptans"),
    ("Neuromodulation", "neuromodulation"),
    ("Medication withdrawal", "medication-withdrawal"),
]


def add_vocabulary(apps, schema_editor):
    Condition = apps.get_model("evidence", "Condition")
    Intervention = apps.get_model("evidence", "Intervention")
    for name, slug, parent_slug in CONDITIONS:
        parent = Condition.objects.get(slug=parent_slug)
        Condition.objects.get_or_create(slug=slug, defaults={"name": name, "parent": parent})
    for name, slug in INTERVENTIONS:
        Intervention.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    """Reversing keeps the rows: studies and profiles may point at them."""

    dependencies = [("evidence", "0004_studies_outcomes_claims")]

    operations = [migrations.RunPython(add_vocabulary, migrations.RunPython.noop)]
