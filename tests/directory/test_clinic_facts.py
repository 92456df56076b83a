"""What patients decide by, per clinic: a telephone number they can dial, a booking link
that leaks nothing, what a visit costs, and whether they can get in, shown on profiles and
cards, and filterable in search."""

from __future__ import annotations

from decimal import Decimal

import pytest

from directory.models import Location
from tests.factories import LocationFactory, listed_practitioner, owned_practitioner

pytestmark = pytest.mark.django_db


def invalid(errors: dict) -> dict:
    return {"detail": "Invalid input.", "errors": errors}


@pytest.fixture
def practitioner():
    return owned_practitioner(slug="mei-chen")


@pytest.fixture
def api(client, practitioner):
    """The practitioner's own session (the page checks below read as anyone would)."""
    client.force_login(practitioner.owner)
    return client


def clinic(practitioner) -> Location:
    return practitioner.locations.get()


def patch(api, location, change):
    return api.patch(
        f"/api/v1/me/locations/{location.pk}/", change, content_type="application/json"
    )


def test_a_phone_number_is_stored_in_e164_and_shown_as_patients_dial_it(api, practitioner, client):
    location = clinic(practitioner)
    response = patch(api, location, {"phone": "(415) 555-0123"})
    assert response.status_code == 200, response.json()
    assert response.json()["phone"] == "+14155550123"
    page = client.get(practitioner.get_absolute_url()).content.decode()
    assert '<a href="tel:+14155550123">(415) 555-0123</a>' in page


def test_a_number_nobody_can_dial_is_refused_and_nothing_changes(api, practitioner):
    location = clinic(practitioner)
    before = location.phone
    response = patch(api, location, {"phone": "12", "clinic_name": "Renamed"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["phone"]
    location.refresh_from_db()
    assert (location.phone, location.clinic_name) == (before, clinic(practitioner).clinic_name)
    assert location.clinic_name != "Renamed"


@pytest.mark.parametrize("address", ["javascript:alert(1)", "ftp://clinic.example/book", "book"])
def test_a_booking_link_must_be_a_web_address(api, practitioner, address):
    response = patch(api, clinic(practitioner), {"booking_url": address})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["booking_url"]
    assert clinic(practitioner).booking_url == ""


def test_the_booking_link_opens_without_a_referrer(api, practitioner, client):
    assert (
        patch(api, clinic(practitioner), {"booking_url": "https://book.example/mei"}).status_code
        == 200
    )
    page = client.get(practitioner.get_absolute_url()).content.decode()
    assert (
        '<a href="https://book.example/mei" rel="noopener noreferrer" referrerpolicy="no-referrer">'
        "Book on the clinic's site"
    ) in page


def test_prices_are_shown_as_ranges_in_the_clinics_currency(api, practitioner, client):
    change = {
        "first_visit_fee": 120,
        "first_visit_fee_max": 150,
        "follow_up_fee": 92.5,
        "sliding_scale": True,
        "step_free_entrance": True,
        "parking": True,
    }
    response = patch(api, clinic(practitioner), change)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["first_visit_fee"], body["follow_up_fee"]) == (120.0, 92.5)
    expected = "First visit $120–150 · Follow-up $92.50 · Sliding scale"
    page = client.get(practitioner.get_absolute_url()).content.decode()
    assert expected in page
    assert "Step-free entrance · Parking" in page
    card = client.get("/search/", {"near": "94105"}).content.decode()
    assert expected in card and "Step-free entrance · Parking" in card
    london = LocationFactory(
        practitioner=practitioner, country="GB", region="ENG", first_visit_fee=Decimal(60)
    )
    assert london.costs == ["First visit £60"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"first_visit_fee": 150, "first_visit_fee_max": 120}, "first_visit_fee_max"),
        ({"follow_up_fee_max": 90}, "follow_up_fee"),
        ({"follow_up_fee": -5}, "follow_up_fee"),
        ({"currency": "XYZ"}, "currency"),
    ],
)
def test_prices_that_cannot_be_are_refused(api, practitioner, change, field):
    response = patch(api, clinic(practitioner), change)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    stored = clinic(practitioner)
    assert (stored.first_visit_fee, stored.follow_up_fee, stored.currency) == (None, None, "")


def test_search_filters_by_sliding_scale_and_step_free_entrance(client):
    plain = listed_practitioner(slug="plain")
    sliding = listed_practitioner(slug="sliding")
    Location.objects.filter(practitioner=sliding).update(sliding_scale=True)
    # Step-free only at a second, farther clinic: that one is the result.
    step_free = listed_practitioner(slug="step-free")
    far = LocationFactory(practitioner=step_free, latitude=37.80, step_free_entrance=True)

    def found(**filters) -> list[str]:
        answer = client.get("/api/v1/practitioners/", {"near": "94105", **filters}).json()
        return sorted(result["slug"] for result in answer["results"])

    assert found() == ["plain", "sliding", "step-free"]
    assert found(sliding_scale="true") == ["sliding"]
    step = client.get("/api/v1/practitioners/", {"near": "94105", "step_free": "true"}).json()
    assert [result["slug"] for result in step["results"]] == ["step-free"]
    assert step["results"][0]["location"]["step_free_entrance"] is True
    assert step["results"][0]["location"]["latitude"] == far.latitude
    assert plain.locations.get().step_free_entrance is False
    page = client.get("/search/", {"near": "94105", "step_free": "true"}).content.decode()
    assert "1 practitioner" in page


def test_gender_and_pronouns_are_optional_self_described_and_filterable(api, practitioner, client):
    change = {"gender": "woman", "pronouns": "she/her"}
    assert (
        api.patch("/api/v1/me/profile/", change, content_type="application/json").status_code == 200
    )
    described = listed_practitioner(slug="described", gender="another")
    described.gender_description = "Two-spirit"
    described.save()
    listed_practitioner(slug="unstated")
    page = client.get(practitioner.get_absolute_url()).content.decode()
    assert "<dt>Gender</dt>\n      <dd>Woman (she/her)</dd>" in page
    assert "<dd>Two-spirit</dd>" in client.get(described.get_absolute_url()).content.decode()

    def found(**filters) -> list[str]:
        answer = client.get("/api/v1/practitioners/", {"near": "94105", **filters})
        assert answer.status_code == 200, answer.json()
        return sorted(result["slug"] for result in answer.json()["results"])

    assert found() == ["described", "mei-chen", "unstated"]
    assert found(gender="woman") == ["mei-chen"]
    assert found(gender="man") == []
    refused = client.get("/api/v1/practitioners/", {"near": "94105", "gender": "another"})
    assert refused.status_code == 400 and "gender" in refused.json()["errors"]
    # Never required: a profile saved without them keeps them empty.
    assert (
        api.patch("/api/v1/me/profile/", {"gender": ""}, content_type="application/json").json()[
            "gender"
        ]
        == ""
    )
