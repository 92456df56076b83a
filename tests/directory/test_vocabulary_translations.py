"""The payer vocabulary in every language: each seeded payer's name is either an ordinary
phrase listed for the catalogue or a brand kept as written, each coverage note is listed
for the catalogue (directory/vocabulary.py), and profiles show them in the page's language."""

from __future__ import annotations

import importlib

import pytest
from django.utils import translation

from directory import vocabulary
from directory.models import Payer
from tests.factories import listed_practitioner, restore_vocabulary

pytestmark = pytest.mark.django_db

SEEDED = importlib.import_module("directory.migrations.0019_payer_vocabulary").PAYERS


@pytest.fixture(autouse=True)
def seeded_vocabulary():
    restore_vocabulary()


def test_every_seeded_payer_name_is_listed_for_translation_or_kept_as_written():
    names = {payer.name for payer in Payer.objects.all()} | {row[1] for row in SEEDED}
    assert len(names) > 30
    unlisted = names - vocabulary.NAMES - vocabulary.AS_WRITTEN
    assert not unlisted, f"Add to directory/vocabulary.py (NAMES or AS_WRITTEN): {unlisted}"
    assert not vocabulary.NAMES & vocabulary.AS_WRITTEN


def test_every_seeded_coverage_note_is_listed_for_translation():
    notes = {payer.coverage_note for payer in Payer.objects.exclude(coverage_note="")}
    notes |= {row[5] for row in SEEDED if row[5]}
    assert len(notes) >= 4
    unlisted = notes - vocabulary.COVERAGE_NOTES
    assert not unlisted, f"Add to directory/vocabulary.py COVERAGE_NOTES: {unlisted}"


def test_generic_names_and_notes_are_translated_and_brands_are_not():
    workers = Payer.objects.get(slug="workers-compensation-us")
    aetna = Payer.objects.get(slug="aetna-us")
    medicare = Payer.objects.get(slug="medicare-us")
    with translation.override("es"):
        assert workers.shown_name == "Indemnización por accidentes de trabajo"
        assert medicare.shown_coverage_note.startswith("La Parte B de Medicare cubre")
        assert aetna.shown_name == "Aetna"
    with translation.override("zh-hans"):
        assert workers.shown_name == "工伤赔偿"
        assert aetna.shown_name == "Aetna"
    with translation.override("en"):
        assert workers.shown_name == "Workers' compensation"
        assert medicare.shown_coverage_note == medicare.coverage_note


def test_a_profile_shows_payers_in_the_page_language(client):
    practitioner = listed_practitioner(slug="ana-ruiz")
    location = practitioner.locations.get()
    location.payers.set(Payer.objects.filter(slug__in=["medicare-us", "workers-compensation-us"]))
    page = client.get(f"/es{practitioner.get_absolute_url()}").content.decode()
    assert "<dt>Seguro médico y forma de pago</dt>" in page
    assert "Indemnización por accidentes de trabajo" in page
    assert "La Parte B de Medicare cubre" in page
    assert "<li>Medicare" in page  # the brand, as written


@pytest.mark.parametrize(
    ("prefix", "heading", "footer"),
    [
        ("/es", "Encuentre un acupunturista con licencia de confianza", "no es consejo médico"),
        ("/zh-hans", "找到一位值得信赖的持照针灸师", "不构成医疗建议"),
    ],
)
def test_the_home_page_nav_and_footer_are_translated(client, prefix, heading, footer):
    page = client.get(f"{prefix}/").content.decode()
    assert f'<h1 id="hero-title">{heading}</h1>' in page
    assert footer in page
    assert "Find a licensed acupuncturist you can trust" not in page
