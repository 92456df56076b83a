"""Insurance and payment: the curated vocabulary, a clinic's choice on the dashboard and
/api/v1/me/, what profiles and cards show, and the search's `insurance` filter."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from directory.models import Location, Payer
from tests.factories import (
    LocationFactory,
    listed_practitioner,
    owned_practitioner,
    restore_vocabulary,
)

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/practitioners/"


@pytest.fixture(autouse=True)
def vocabulary():
    """The payers the payer-vocabulary migration seeds (a flush after a committing test
    empties them)."""
    restore_vocabulary()


@pytest.fixture
def practitioner():
    return owned_practitioner(slug="mei-chen")


@pytest.fixture
def owner(client, practitioner):
    client.force_login(practitioner.owner)
    return client


def clinic(practitioner) -> Location:
    return practitioner.locations.get()


def accepted(location: Location) -> list[str]:
    return sorted(location.payers.values_list("slug", flat=True))


def patch(api, location, change):
    return api.patch(
        f"/api/v1/me/locations/{location.pk}/", change, content_type="application/json"
    )


def test_the_vocabulary_is_seeded_and_every_coverage_note_names_its_source():
    medicare = Payer.objects.get(slug="medicare-us")
    assert (medicare.name, medicare.kind, medicare.country) == ("Medicare", "government", "US")
    assert "only for chronic low back pain" in medicare.coverage_note
    assert "up to 12 visits in 90 days, 8 more if you are improving" in medicare.coverage_note
    assert "no more than 20 a year" in medicare.coverage_note
    assert medicare.source_url == (
        "https://www.cms.gov/medicare-coverage-database/view/ncd.aspx?ncdid=373"
    )
    kinds = set(Payer.objects.values_list("kind", flat=True))
    assert kinds == {"insurer", "government", "workers_comp", "auto", "account"}
    assert set(Payer.objects.values_list("country", flat=True)) >= {"US", "CA", "GB", "AU"}
    for payer in Payer.objects.exclude(coverage_note=""):
        assert payer.source_title and payer.source_url.startswith("https://"), payer.slug


def test_a_clinic_chooses_payers_on_the_dashboard_grouped_by_kind(owner, practitioner):
    location = clinic(practitioner)
    url = reverse("accounts:location-edit", args=[practitioner.slug, location.pk])
    form = owner.get(url).content.decode()
    # One checkbox list of the clinic's country's payers (and those of any country), one
    # group per kind, and a plain form post saves it (no JS).
    offered = Payer.objects.filter(country__in=["US", ""]).count()
    assert 0 < offered < Payer.objects.count()
    assert form.count('name="payers"') == offered
    assert 'value="bupa-gb"' not in form
    groups = re.findall(r"<label>([^<]+)</label>", form)
    assert groups[:3] == ["Health insurance", "Government programmes", "Workers&#x27; compensation"]
    fields = {
        "clinic_name": location.clinic_name,
        "address": location.address,
        "city": location.city,
        "jurisdiction": "US-CA",
        "postal_code": location.postal_code,
        "payers": ["medicare-us", "aetna-us"],
    }
    response = owner.post(url, fields)
    assert response.status_code == 302, response.content.decode()
    assert accepted(location) == ["aetna-us", "medicare-us"]
    shown = owner.get(url).content.decode()
    assert re.search(r'value="medicare-us"[^>]*checked', shown)
    assert not re.search(r'value="cigna-us"[^>]*checked', shown)


@pytest.mark.parametrize(
    ("payers", "message"),
    [
        (["no-such-plan"], "no-such-plan"),
        (["bupa-gb"], "Not available in United States: Bupa (GB)."),
    ],
)
def test_the_dashboard_refuses_unknown_or_foreign_payers_and_saves_nothing(
    owner, practitioner, payers, message
):
    location = clinic(practitioner)
    location.payers.set([Payer.objects.get(slug="cigna-us")])
    url = reverse("accounts:location-edit", args=[practitioner.slug, location.pk])
    fields = {
        "clinic_name": "Renamed",
        "address": location.address,
        "city": location.city,
        "jurisdiction": "US-CA",
        "postal_code": location.postal_code,
        "payers": payers,
    }
    response = owner.post(url, fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"].errors.keys() == {"payers"}
    location.refresh_from_db()
    assert location.clinic_name != "Renamed"
    assert accepted(location) == ["cigna-us"]


def test_the_api_sets_and_replaces_a_clinics_payers(owner, practitioner):
    location = clinic(practitioner)
    response = patch(owner, location, {"payers": ["medicare-us", "hsa-fsa-us"]})
    assert response.status_code == 200, response.json()
    assert sorted(response.json()["payers"]) == ["hsa-fsa-us", "medicare-us"]
    # Other edits leave them alone; an empty list clears them.
    assert patch(owner, location, {"clinic_name": "Mission"}).json()["payers"] != []
    assert accepted(location) == ["hsa-fsa-us", "medicare-us"]
    assert patch(owner, location, {"payers": []}).json()["payers"] == []
    assert accepted(location) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"payers": ["no-such-plan"], "clinic_name": "Renamed"}, "payers"),
        ({"payers": "medicare-us", "clinic_name": "Renamed"}, "payers"),
        ({"payers": [7], "clinic_name": "Renamed"}, "payers"),
        ({"payers": ["medibank-au"], "clinic_name": "Renamed"}, "payers"),
        # Moving a US clinic to Ontario while it still takes Medicare.
        ({"jurisdiction": "CA-ON", "postal_code": "M5V 2T6", "clinic_name": "Renamed"}, "payers"),
    ],
)
def test_the_api_refuses_payers_it_cannot_use_and_changes_nothing(
    owner, practitioner, change, field
):
    location = clinic(practitioner)
    location.payers.set([Payer.objects.get(slug="medicare-us")])
    response = patch(owner, location, change)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    location.refresh_from_db()
    assert (location.clinic_name, location.country) != ("Renamed", "CA")
    assert location.country == "US" and location.clinic_name != "Renamed"
    assert accepted(location) == ["medicare-us"]


def test_profiles_show_payers_with_their_coverage_note_and_source(client):
    practitioner = listed_practitioner(slug="lin-wu")
    location = practitioner.locations.get()
    retired = Payer.objects.get(slug="humana-us")
    location.payers.set(Payer.objects.filter(slug__in=["medicare-us", "aetna-us", "humana-us"]))
    retired.active = False
    retired.save()
    page = client.get(practitioner.get_absolute_url()).content.decode()
    assert "<dt>Insurance and payment</dt>" in page
    assert "<li>Aetna</li>" in page
    assert "Medicare Part B covers acupuncture only for chronic low back pain" in page
    assert (
        '<a href="https://www.cms.gov/medicare-coverage-database/view/ncd.aspx?ncdid=373" '
        'rel="noopener noreferrer">CMS National Coverage Determination 30.3.3'
    ) in page
    assert "Humana" not in page  # retired by staff: kept, not shown
    body = client.get(f"/api/v1/practitioners/{practitioner.slug}/").json()
    payers = body["locations"][0]["payers"]
    assert [payer["slug"] for payer in payers] == ["medicare-us", "aetna-us"]
    assert payers[0]["kind"] == "government" and payers[0]["country"] == "US"
    assert payers[0]["coverage_note"].startswith("Medicare Part B covers acupuncture")
    assert payers[1]["coverage_note"] == "" and payers[1]["source_url"] == ""


def test_search_finds_the_nearest_clinic_that_takes_the_plan(client):
    listed_practitioner(slug="cash-only")
    insured = listed_practitioner(slug="insured")
    # Medicare only at the second, farther clinic: that one is the result.
    far = LocationFactory(practitioner=insured, latitude=37.80)
    far.payers.set([Payer.objects.get(slug="medicare-us")])
    insured.locations.exclude(pk=far.pk).get().payers.set([Payer.objects.get(slug="aetna-us")])

    def found(**filters) -> list[tuple[str, float]]:
        answer = client.get(SEARCH, {"near": "94105", **filters})
        assert answer.status_code == 200, answer.json()
        return [(hit["slug"], hit["location"]["latitude"]) for hit in answer.json()["results"]]

    assert sorted(slug for slug, _ in found()) == ["cash-only", "insured"]
    assert found(insurance="medicare-us") == [("insured", far.latitude)]
    assert [slug for slug, _ in found(insurance="aetna-us")] == ["insured"]
    assert found(insurance="bupa-gb") == []
    page = client.get("/search/", {"near": "94105", "insurance": "medicare-us"}).content.decode()
    assert "1 practitioner" in page
    assert "Takes: Medicare</p>" in page
    assert '<option value="medicare-us" selected>Medicare (US)</option>' in page
    assert '<optgroup label="Government programmes">' in page


@pytest.mark.parametrize("value", ["no-such-plan", "Medicare", "humana-us"])
def test_an_unknown_or_retired_insurance_is_a_400_naming_it(client, value):
    Payer.objects.filter(slug="humana-us").update(active=False)
    response = client.get(SEARCH, {"near": "94105", "insurance": value})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input.",
        "errors": {"insurance": ["Choose one of the listed insurers and programmes."]},
    }
    page = client.get("/search/", {"near": "94105", "insurance": value})
    assert page.status_code == 400
    assert "Choose one of the listed insurers and programmes." in page.content.decode()


def test_the_schema_documents_the_filter_and_each_locations_payers(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/practitioners/"]["get"]
    assert "insurance" in {parameter["name"] for parameter in operation["parameters"]}
    location = schema["components"]["schemas"]["Location"]["properties"]
    assert location["payers"]["type"] == "array"
    payer = schema["components"]["schemas"]["Payer"]["properties"]
    assert {"slug", "name", "kind", "country", "coverage_note", "source_url"} <= set(payer)
    mine = schema["components"]["schemas"]["PatchedMyLocationRequest"]["properties"]
    assert mine["payers"]["items"]["type"] == "string"


def test_staff_keep_the_vocabulary_in_the_admin(superuser_client):
    listing = superuser_client.get("/admin/directory/payer/").content.decode()
    assert "Medicare" in listing and "Bupa" in listing
    note_without_source = {
        "name": "Example Health",
        "slug": "example-health-us",
        "kind": "insurer",
        "country": "US",
        "coverage_note": "Covers ten visits.",
        "source_title": "",
        "source_url": "",
        "active": "on",
        "ordering": "100",
    }
    response = superuser_client.post("/admin/directory/payer/add/", note_without_source)
    assert response.status_code == 400  # the admin shows its form again, with its messages
    assert "A coverage note needs its source (title and URL)." in response.content.decode()
    assert not Payer.objects.filter(slug="example-health-us").exists()
    note_without_source.update(
        source_title="Example Health, benefits", source_url="https://example.org/benefits"
    )
    assert (
        superuser_client.post("/admin/directory/payer/add/", note_without_source).status_code == 302
    )
    assert Payer.objects.get(slug="example-health-us").coverage_note == "Covers ten visits."


def test_demo_clinics_take_a_spread_of_their_own_countrys_payers():
    call_command("load_demo", count=60, verbosity=0)
    clinics = Location.objects.prefetch_related("payers")
    counts = [len(location.payers.all()) for location in clinics]
    assert 0 in counts and max(counts) >= 3
    for location in clinics:
        assert {payer.country for payer in location.payers.all()} <= {"", location.country}
    taken = set(Payer.objects.filter(locations__isnull=False).values_list("kind", flat=True))
    assert {"insurer", "account", "auto"} <= taken


def test_a_retired_payer_is_not_offered_but_a_clinic_keeps_it(owner, practitioner):
    location = clinic(practitioner)
    location.payers.set([Payer.objects.get(slug="humana-us")])
    Payer.objects.filter(slug="humana-us").update(active=False)
    url = reverse("accounts:location-edit", args=[practitioner.slug, location.pk])
    assert 'value="humana-us"' not in owner.get(url).content.decode()
    response = patch(owner, location, {"payers": ["cigna-us"]})
    assert response.status_code == 200, response.json()
    assert accepted(location) == ["cigna-us", "humana-us"]
    refused = patch(owner, location, {"payers": ["humana-us"]})
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["payers"]


def test_an_owners_clinic_json_round_trips_and_keeps_a_retired_payer(owner, practitioner):
    location = clinic(practitioner)
    location.payers.set(Payer.objects.filter(slug__in=["cigna-us", "humana-us"]))
    Payer.objects.filter(slug="humana-us").update(active=False)
    [mine] = owner.get("/api/v1/me/locations/").json()
    assert mine["payers"] == ["cigna-us"]  # retired: not offered, so not shown either
    echoed = patch(owner, location, mine)
    assert echoed.status_code == 200, echoed.json()
    assert echoed.json()["payers"] == ["cigna-us"]
    assert accepted(location) == ["cigna-us", "humana-us"]  # the clinic's choice is kept
    Payer.objects.filter(slug="humana-us").update(active=True)  # staff bring it back
    assert owner.get(f"/api/v1/me/locations/{location.pk}/").json()["payers"] == [
        "cigna-us",
        "humana-us",
    ]
