"""The seeded vocabulary (conditions and interventions) marked for translation.

Condition and Intervention names are database rows, seeded by migrations 0002, 0005 and
0007, and `makemessages` cannot read database rows. The team's vocabulary ships with the
code, so its words are listed here, wrapped in gettext_noop: makemessages puts them in the
catalogues, and pages translate them at render time (Condition.shown_name,
Intervention.shown_name). tests/evidence/test_vocabulary_translations.py fails when a
seeded term is missing here, so a new term cannot reach patients untranslated. A term an
editor adds later through the admin is shown as written until it is added here.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

CONDITION_NAMES = [
    gettext_noop("Migraine"),
    gettext_noop("Episodic migraine"),
    gettext_noop("Chronic migraine"),
    gettext_noop("Tension-type headache"),
    gettext_noop("Cluster headache"),
    gettext_noop("Medication overuse headache"),
    gettext_noop("Chronic low back pain"),
    gettext_noop("Neck pain"),
    gettext_noop("Knee osteoarthritis"),
    gettext_noop("Chemotherapy-induced nausea and vomiting"),
    gettext_noop("Insomnia"),
    gettext_noop("Anxiety"),
    gettext_noop("Fibromyalgia"),
    gettext_noop("Infertility support"),
    gettext_noop("Migraine without aura"),
    gettext_noop("Episodic migraine without aura"),
    gettext_noop("Back pain"),
    gettext_noop("Low back pain"),
    gettext_noop("Acute or subacute low back pain"),
    gettext_noop("Chronic pain"),
    gettext_noop("Chronic headache"),
    gettext_noop("Shoulder pain"),
    gettext_noop("Osteoarthritis"),
    gettext_noop("Hip osteoarthritis"),
    gettext_noop("Nausea and vomiting"),
    gettext_noop("Postoperative nausea and vomiting"),
    gettext_noop("Depression"),
    gettext_noop("Labour pain"),
]

INTERVENTION_NAMES = [
    gettext_noop("Acupuncture"),
    gettext_noop("Electroacupuncture"),
    gettext_noop("Scalp acupuncture"),
    gettext_noop("Auricular acupuncture"),
    gettext_noop("Cupping"),
    gettext_noop("Moxibustion"),
    gettext_noop("Chinese herbal medicine"),
    gettext_noop("Manual acupuncture"),
    gettext_noop("Wet cupping"),
    gettext_noop("Sham acupuncture"),
    gettext_noop("No acupuncture / usual care"),
    gettext_noop("Waiting list"),
    gettext_noop("Prophylactic drug treatment"),
    gettext_noop("Triptans"),
    gettext_noop("Neuromodulation"),
    gettext_noop("Medication withdrawal"),
    gettext_noop("Acupressure"),
    gettext_noop("Acupuncture-point stimulation"),
    gettext_noop("Usual care"),
    gettext_noop("No treatment"),
    gettext_noop("Other treatments"),
    gettext_noop("Placebo"),
    gettext_noop("Antiemetic drugs"),
    gettext_noop("Antidepressant medication"),
]

# The migrations seed no summaries yet; a summary seeded later is listed here, word for word.
SUMMARIES: list[str] = []

TERMS = frozenset([*CONDITION_NAMES, *INTERVENTION_NAMES, *SUMMARIES])
