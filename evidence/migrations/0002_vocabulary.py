from django.db import migrations

CONDITIONS = [
    # (name, slug, parent slug)
    ("Migraine", "migraine", None),
    ("Episodic migraine", "episodic-migraine", "migraine"),
    ("Chronic migraine", "chronic-migraine", "migraine"),
    ("Tension-type headache", "tension-type-headache", None),
    ("Cluster headache", "cluster-headache", None),
    ("Medication overuse headache", "medication-overuse-headache", None),
    ("Chronic low back pain", "chronic-low-back-pain", None),
    ("Neck pain", "neck-pain", None),
    ("Knee osteoarthritis", "knee-osteoarthritis", None),
    ("Chemotherapy-induced nausea and vomiting", "chemotherapy-nausea", None),
    ("Insomnia", "insomnia", None),
    ("Anxiety", "anxiety", None),
    ("Fibromyalgia", "fibromyalgia", None),
    ("Infertility support", "infertility-support", None),
]

INTERVENTIONS = [
    ("Acupuncture", "acupuncture"),
    ("Electroacupuncture", "electroacupuncture"),
    ("Scalp acupuncture", "scalp-acupuncture"),
    ("Auricular acupuncture", "auricular-acupuncture"),
    ("Cupping", "cupping"),
    ("Moxibustion", "moxibustion"),
    ("Chinese herbal medicine", "chinese-herbal-medicine"),
]


def add_vocabulary(apps, schema_editor):
    Condition = apps.get_model("evidence", "Condition")
    Intervention = apps.get_model("evidence", "Intervention")
    for name, slug, parent_slug in CONDITIONS:
        parent = Condition.objects.get(slug=parent_slug) if parent_slug else None
        Condition.objects.get_or_create(slug=slug, defaults={"name": name, "parent": parent})
    for name, slug in INTERVENTIONS:
        Intervention.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    """The shared vocabulary of conditions and techniques that profiles, search and the
    evidence library all refer to. Reversing keeps the rows: others may point at them."""

    dependencies = [("evidence", "0001_initial")]

    operations = [migrations.RunPython(add_vocabulary, migrations.RunPython.noop)]
