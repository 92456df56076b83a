"""The seeded vocabulary reaches the catalogues: makemessages cannot read database rows, so
every condition and intervention the migrations create must be listed, word for word, in
evidence/vocabulary.py. A new seeded term without an entry there fails here."""

from __future__ import annotations

import pytest
from django.utils import translation

from evidence import vocabulary
from evidence.models import Condition, Intervention

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Condition, Intervention])
def test_every_seeded_name_and_summary_is_marked_for_translation(model):
    rows = list(model.objects.values_list("name", "summary"))
    assert rows, f"the migrations seed {model.__name__} rows"
    missing = sorted(name for name, _ in rows if name not in vocabulary.TERMS)
    assert missing == [], f"add these {model.__name__} names to evidence/vocabulary.py"
    summaries = [summary for _, summary in rows if summary]
    assert [s for s in summaries if s not in vocabulary.TERMS] == []


def test_the_lists_hold_only_seeded_terms_so_they_cannot_drift():
    names = set(Condition.objects.values_list("name", flat=True))
    names |= set(Intervention.objects.values_list("name", flat=True))
    assert set(vocabulary.CONDITION_NAMES) <= names
    assert set(vocabulary.INTERVENTION_NAMES) <= names


def test_a_name_added_later_is_shown_as_written():
    condition = Condition.objects.create(name="Plantar fasciitis", slug="plantar-fasciitis")
    with translation.override("es"):
        assert condition.shown_name == "Plantar fasciitis"
    with translation.override("en"):
        assert Condition.objects.get(slug="migraine").shown_name == "Migraine"
