"""FHIR searches over a live server: `near` nearest first with distances that agree with
geopy's geodesic, searchset Bundles whose total is never the page length, paging links,
_include/_revinclude bringing each resource once, and the string, token, reference and
date parameters."""

from __future__ import annotations

import datetime

import pytest
from geopy.distance import geodesic

from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory
from tests.fhir_api.conftest import (
    TODAY,
    clinic,
    clinics_changed_on_the_15th_and_20th,
    validate,
)

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (37.7749, -122.4194)  # San Francisco City Hall
# Clinics at growing distances from ORIGIN, in no particular order of creation.
POINTS = {
    "far-oakland": (37.8044, -122.2712),  # ~13.3 km
    "near-mission": (37.7599, -122.4148),  # ~1.7 km
    "mid-sunset": (37.7530, -122.4950),  # ~7.1 km
    "close-hayes": (37.7765, -122.4240),  # ~0.4 km
    "out-san-jose": (37.3382, -121.8863),  # ~67 km
}


@pytest.fixture
def city():
    return {slug: clinic(slug, *point)[1] for slug, point in POINTS.items()}


def entries(bundle: dict, mode: str = "match") -> list[dict]:
    return [entry for entry in bundle.get("entry", []) if entry["search"]["mode"] == mode]


def test_location_near_is_nearest_first_with_geodesic_distances(fhir, city):
    answer = fhir(f"Location?near={ORIGIN[0]}|{ORIGIN[1]}|20|km")
    assert answer.status == 200
    validate(answer.body)
    found = entries(answer.body)
    names = [entry["resource"]["id"].rsplit("-", 1)[0] for entry in found]
    assert names == ["close-hayes", "near-mission", "mid-sunset", "far-oakland"]
    for entry in found:
        (extension,) = entry["search"]["extension"]
        assert extension["url"] == "http://hl7.org/fhir/StructureDefinition/location-distance"
        distance = extension["valueDistance"]
        assert distance["unit"] == distance["code"] == "km"
        assert distance["system"] == "http://unitsofmeasure.org"
        position = entry["resource"]["position"]
        expected = geodesic(ORIGIN, (position["latitude"], position["longitude"])).km
        assert distance["value"] == pytest.approx(expected, rel=0.005)
    values = [entry["search"]["extension"][0]["valueDistance"]["value"] for entry in found]
    assert values == sorted(values)
    assert answer.body["total"] == 4


@pytest.mark.parametrize(
    ("unit", "per_km", "reported"),
    [
        ("m", 1000, "m"),
        ("[mi_i]", 1 / 1.609344, "[mi_i]"),
        ("mi", 1 / 1.609344, "[mi_i]"),
        ("[mi_us]", 1 / 1.609347, "[mi_us]"),
    ],
)
def test_near_units_in_and_out(fhir, city, unit, per_km, reported):
    distance = 20 * per_km  # 20 km in that unit
    found = entries(fhir(f"Location?near={ORIGIN[0]}|{ORIGIN[1]}|{distance}|{unit}").body)
    assert len(found) == 4
    nearest = found[0]["search"]["extension"][0]["valueDistance"]
    assert nearest["code"] == reported
    position = found[0]["resource"]["position"]
    expected = geodesic(ORIGIN, (position["latitude"], position["longitude"])).km * per_km
    assert nearest["value"] == pytest.approx(expected, rel=0.005)


def test_near_without_distance_uses_the_sites_default_radius(fhir, city):
    found = entries(fhir(f"Location?near={ORIGIN[0]}|{ORIGIN[1]}").body)
    assert len(found) == 4  # 25 km: Oakland in, San José out


def test_role_location_near_orders_roles_and_includes_each_resource_once(fhir, city):
    # A second clinic for the Mission practitioner, further out than Oakland.
    practitioner = city["near-mission"].practitioner
    LocationFactory(practitioner=practitioner, latitude=37.8716, longitude=-122.2727)  # Berkeley
    answer = fhir(
        f"PractitionerRole?location.near={ORIGIN[0]}|{ORIGIN[1]}|30|km"
        "&_include=PractitionerRole:practitioner&_include=PractitionerRole:location"
    )
    assert answer.status == 200
    validate(answer.body)
    roles = entries(answer.body)
    assert [role["resource"]["practitioner"]["reference"] for role in roles] == [
        "Practitioner/close-hayes",
        "Practitioner/near-mission",
        "Practitioner/mid-sunset",
        "Practitioner/far-oakland",
        "Practitioner/near-mission",
    ]
    values = [role["search"]["extension"][0]["valueDistance"]["value"] for role in roles]
    assert values == sorted(values)
    included = entries(answer.body, "include")
    keys = [(e["resource"]["resourceType"], e["resource"]["id"]) for e in included]
    assert len(keys) == len(set(keys))
    assert sorted(id for kind, id in keys if kind == "Practitioner") == sorted(
        ["close-hayes", "near-mission", "mid-sunset", "far-oakland"]
    )
    locations = {id for kind, id in keys if kind == "Location"}
    assert locations == {role["resource"]["id"] for role in roles}
    for entry in answer.body["entry"]:
        kind, id = entry["resource"]["resourceType"], entry["resource"]["id"]
        assert entry["fullUrl"].endswith(f"/fhir/{kind}/{id}")


def test_paging_total_only_when_true_and_links_echo_applied_parameters(fhir, city):
    first = fhir(f"Location?near={ORIGIN[0]}|{ORIGIN[1]}|20|km&_count=3&unknown=1").body
    validate(first)
    assert "total" not in first  # more pages follow: the page length is not the total
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert links["self"].endswith(f"/fhir/Location?near={ORIGIN[0]}|{ORIGIN[1]}|20|km&_count=3")
    assert "unknown" not in links["next"]
    assert "previous" not in links
    second = fhir(links["next"].split("/fhir/", 1)[1]).body
    assert len(entries(second)) == 1
    assert second["total"] == 4
    links = {link["relation"]: link["url"] for link in second["link"]}
    assert "next" not in links and "_cursor=" in links["self"]


def test_count_is_capped_at_fifty(fhir):
    for number in range(55):
        practitioner = PractitionerFactory(slug=f"p-{number:02d}")
        LocationFactory(practitioner=practitioner)
        LicenseFactory(practitioner=practitioner)
    body = fhir("Practitioner?_count=500").body
    assert len(entries(body)) == 50
    assert "total" not in body
    links = {link["relation"]: link["url"] for link in body["link"]}
    assert fhir(links["next"].split("/fhir/", 1)[1]).body["total"] == 55


def test_an_expired_license_hides_the_practitioner_everywhere(fhir, city):
    lapsed = PractitionerFactory(slug="lapsed")
    LocationFactory(practitioner=lapsed, latitude=37.775, longitude=-122.419)
    LicenseFactory(practitioner=lapsed, expires_on=TODAY - datetime.timedelta(days=1))
    near = entries(fhir(f"Location?near={ORIGIN[0]}|{ORIGIN[1]}|20|km").body)
    assert all(not entry["resource"]["id"].startswith("lapsed") for entry in near)
    assert fhir("Practitioner?_id=lapsed").body["total"] == 0
    assert fhir("PractitionerRole?practitioner=lapsed").body["total"] == 0


def test_practitioner_name_identifier_and_revinclude(fhir):
    chen, _ = clinic("mei-chen", 37.77, -122.41, first_name="Mei", last_name="Chén")
    clinic("lan-nguyen", 37.77, -122.41, first_name="Lan", last_name="Nguyen")

    def ids(query: str) -> list[str]:
        body = fhir(f"Practitioner?{query}").body
        validate(body)
        return [entry["resource"]["id"] for entry in entries(body)]

    assert ids("name=chen") == ["mei-chen"]  # accents and case ignored
    assert ids("family=CH") == ["mei-chen"]
    assert ids("given=lan") == ["lan-nguyen"]
    assert ids("name=che,ngu") == ["lan-nguyen", "mei-chen"]  # in id order
    assert ids("name:exact=Chen") == []
    assert ids("name:exact=Ch%C3%A9n") == ["mei-chen"]
    assert ids("name:contains=guy") == ["lan-nguyen"]
    assert ids("identifier=http://127.0.0.1:8000/practitioners/|lan-nguyen") == ["lan-nguyen"]
    assert ids("identifier=http://hl7.org/fhir/sid/us-npi|lan-nguyen") == []
    assert ids("_id=mei-chen,lan-nguyen") == ["lan-nguyen", "mei-chen"]
    body = fhir(
        "Practitioner?_id=mei-chen&_revinclude=PractitionerRole:practitioner"
        "&_revinclude=VerificationResult:target"
    ).body
    validate(body)
    included = sorted(e["resource"]["resourceType"] for e in entries(body, "include"))
    assert included == ["PractitionerRole", "VerificationResult"]
    (verification,) = [
        e["resource"]
        for e in entries(body, "include")
        if e["resource"]["resourceType"] == "VerificationResult"
    ]
    assert verification["id"] == str(chen.licenses.get().public_id)


def test_location_address_parameters(fhir):
    _, portland = clinic("ore", 45.52, -122.68)
    portland.city, portland.region, portland.postal_code = "Portland", "OR", "97205"
    portland.save()
    LicenseFactory(practitioner=portland.practitioner, region="OR")
    clinic("cal", 37.77, -122.41)

    def ids(query: str) -> list[str]:
        return [
            e["resource"]["id"].rsplit("-", 1)[0] for e in entries(fhir(f"Location?{query}").body)
        ]

    assert ids("address-city=portl") == ["ore"]
    assert ids("address-state=CA") == ["cal"]
    assert ids("address-postalcode=972") == ["ore"]
    assert ids("address=san%20fran") == ["cal"]
    assert ids("address-state=OR&near=45.5|-122.6|50|km") == ["ore"]


def test_last_updated_prefixes(fhir, time_machine):
    old, new = clinics_changed_on_the_15th_and_20th(time_machine)

    def ids(kind: str, query: str) -> list[str]:
        body = fhir(f"{kind}?{query}").body
        return sorted(e["resource"]["id"].split("-")[0] for e in entries(body))

    day = datetime.timedelta(days=1)
    day_after_old, day_before_new = old + day, new - day
    assert ids("Practitioner", f"_lastUpdated=gt{old}") == ["new"]
    assert ids("Practitioner", f"_lastUpdated=ge{old}") == ["new", "old"]
    assert ids("Practitioner", f"_lastUpdated=lt{new}") == ["old"]
    assert ids("Practitioner", f"_lastUpdated=le{new}") == ["new", "old"]
    assert ids("Practitioner", f"_lastUpdated={old:%Y-%m}") == ["new", "old"]
    assert ids("Location", f"_lastUpdated=ge{new}T00:00:00Z") == ["new"]
    assert ids("PractitionerRole", f"_lastUpdated=lt{day_after_old}&_lastUpdated=ge{old}") == [
        "old"
    ]
    assert ids("VerificationResult", f"_lastUpdated=gt{day_before_new}") == [
        str(LicenseFactory._meta.model.objects.get(practitioner__slug="new").public_id).split("-")[
            0
        ]
    ]


def test_strict_handling_refuses_unknown_parameters(fhir, city):
    lenient = fhir("Practitioner?colour=blue&_sort=name")
    assert lenient.status == 200
    strict = fhir("Practitioner?colour=blue", headers={"Prefer": "handling=strict"})
    assert strict.status == 400
    validate(strict.body)
    assert "colour" in strict.diagnostics()
    sort = fhir("Practitioner?_sort=name", headers={"Prefer": "handling=strict"})
    assert sort.status == 400 and "_sort" in sort.diagnostics()


def test_role_specialty_by_nucc_code_or_technique(fhir):
    from evidence.models import Intervention

    cupper, _ = clinic("cupper", 37.77, -122.41)
    clinic("needler", 37.77, -122.41)
    cupping = Intervention.objects.filter(is_technique=True).first()
    cupper.techniques.add(cupping)

    def practitioners(query: str) -> list[str]:
        body = fhir(f"PractitionerRole?{query}").body
        validate(body)
        return sorted(e["resource"]["practitioner"]["reference"] for e in entries(body))

    everyone = ["Practitioner/cupper", "Practitioner/needler"]
    assert practitioners("specialty=http://nucc.org/provider-taxonomy|171100000X") == everyone
    assert practitioners("specialty=171100000X") == everyone
    technique = f"http://127.0.0.1:8000/fhir/CodeSystem/technique|{cupping.slug}"
    assert practitioners(f"specialty={technique}") == ["Practitioner/cupper"]
    assert practitioners(f"specialty={cupping.slug},171100000X") == everyone
    assert practitioners("specialty=http://example.org|171100000X") == []


def test_ids_references_and_the_remaining_includes(fhir):
    chen, clinic_a = clinic("mei-chen", 37.77, -122.41)
    clinic("lan-nguyen", 37.78, -122.42)
    role_id = fhir("Location?address-city=san").body["entry"][0]["resource"]["id"]
    (license,) = chen.licenses.all()

    def found(query: str, mode: str = "match") -> list[tuple[str, str]]:
        body = fhir(query).body
        validate(body)
        return [(e["resource"]["resourceType"], e["resource"]["id"]) for e in entries(body, mode)]

    location_ids = [id for _, id in found("Location")]
    assert found(f"Location?_id={location_ids[1]}") == [("Location", location_ids[1])]
    assert found(f"PractitionerRole?_id={role_id}") == [("PractitionerRole", role_id)]
    assert found(f"PractitionerRole?location=Location/{role_id}") == [("PractitionerRole", role_id)]
    assert found(f"Location?_id={role_id}&_revinclude=PractitionerRole:location", "include") == [
        ("PractitionerRole", role_id)
    ]
    assert found(f"VerificationResult?_id={license.public_id}") == [
        ("VerificationResult", str(license.public_id))
    ]
    assert found("VerificationResult?target=Practitioner/mei-chen") == [
        ("VerificationResult", str(license.public_id))
    ]
    assert found(
        "VerificationResult?target=mei-chen&_include=VerificationResult:target", "include"
    ) == [("Practitioner", "mei-chen")]
    assert len(found("VerificationResult")) == 2
    assert clinic_a.practitioner == chen
