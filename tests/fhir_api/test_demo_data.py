"""The demo data as the FHIR API shows it: the documentation's examples name practitioners
it lists (a reader who runs `./dev start` and pastes them gets answers, not 404s), and every
clinic, in every country, has a phone its roles carry (US Core's pd-1: a role has contact
details or an endpoint)."""

from __future__ import annotations

import re
from pathlib import Path

from directory import demo, phones
from tests.fhir_api.conftest import TODAY

DOC = Path(__file__).resolve().parents[2] / "docs" / "fhir-ndh.md"


def test_every_practitioner_in_the_fhir_doc_is_a_listed_demo_practitioner():
    named = set(re.findall(r"Practitioner/([a-z0-9-]+)", DOC.read_text()))
    assert named
    specs = {spec.slug: spec for spec in demo.build_specs(count=500, today=TODAY)}
    for slug in named:
        spec = specs.get(slug)
        assert spec is not None, f"{slug} is not in the demo data"
        assert spec.fields["published"], slug
        assert "verified" in {credential.outcome for credential in spec.credentials}, slug


def test_every_demo_clinic_in_every_country_has_a_phone_that_dials():
    clinics = [
        place for spec in demo.build_specs(count=200, today=TODAY) for place in spec.locations
    ]
    assert {place.country for place in clinics} == {"US", "CA", "GB", "AU"}
    for place in clinics:
        assert phones.normalise(place.phone, place.country).startswith("+"), place
