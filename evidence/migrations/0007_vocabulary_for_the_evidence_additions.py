from django.db import migrations

# Conditions the evidence additions (evidence/data/evidence-additions.json) need:
# (name, slug, parent slug). Broader conditions come before their subtypes.
CONDITIONS = [
    ("Back pain", "back-pain", None),
    ("Low back pain", "low-back-pain", "back-pain"),
    ("Acute or subacute low back pain", "acute-low-back-pain", "low-back-pain"),
    ("Chronic pain", "chronic-pain", None),
    ("Chronic headache", "chronic-headache", None),
    ("Shoulder pain", "shoulder-pain", None),
    ("Osteoarthritis", "osteoarthritis", None),
    ("Hip osteoarthritis", "hip-osteoarthritis", "osteoarthritis"),
    ("Nausea and vomiting", "nausea-and-vomiting", None),
    ("Postoperative nausea and vomiting", "postoperative-nausea", "nausea-and-vomiting"),
    ("Depression", "depression", None),
    ("Labour pain", "labour-pain", None),
]

# Conditions already in the vocabulary that are subtypes of a broader one added above:
# (slug, parent slug). Only a condition without a parent is moved, so an editor's choice
# stands.
SUBTYPES = [
    ("chronic-low-back-pain", "low-back-pain"),
    ("knee-osteoarthritis", "osteoarthritis"),
    ("chemotherapy-nausea", "nausea-and-vomiting"),
]

# Variants and comparators; none is a technique a practitioner lists on a profile.
INTERVENTIONS = [
    ("Acupressure", "acupressure"),
    ("Acupuncture-point stimulation", "acupuncture-point-stimulation"),
    ("Usual care", "usual-care"),
    ("No treatment", "no-treatment"),
    ("Other treatments", "other-treatments"),
    ("Placebo", "placebo"),
    ("Antiemetic drugs", "antiemetic-drugs"),
    ("Antidepressant medication", "antidepressant-medication"),
]


def add_vocabulary(apps, schema_editor):
    Condition = apps.get_model("evidence", "Condition")
    Intervention = apps.get_model("evidence", "Intervention")
    for name, slug, parent_slug in CONDITIONS:
        parent = Condition.objects.get(slug=parent_slug) if parent_slug else None
        Condition.objects.get_or_create(slug=slug, defaults={"name": name, "parent": parent})
    for slug, parent_slug in SUBTYPES:
        Condition.objects.filter(slug=slug, parent__isnull=True).update(
            parent=Condition.objects.get(slug=parent_slug)
        )
    for name, slug in INTERVENTIONS:
        Intervention.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    """Reversing keeps the rows: studies and profiles may point at them."""

    dependencies = [("evidence", "0006_outcome_certainty_quote_and_review_state")]

    operations = [migrations.RunPython(add_vocabulary, migrations.RunPython.noop)]
