"""What the API fuzzer found, pinned down: unknown API addresses answer JSON 404s; JSON
values must have their documented types; unknown fields and malformed multipart bodies
are refused with 400 and change nothing."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from tests.factories import AccountFactory, owned_practitioner

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    owner = AccountFactory(email="owner@example.com")
    owned_practitioner(owner=owner, slug="mei-chen")
    token = Token.objects.create(user=owner)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/me/locations/null,null/",
        "/api/v1/me/licenses/not-a-uuid/",
        "/api/v1/practitioners/%C2%B0%C3%97/",
        "/api/v1/nothing-here/",
    ],
)
def test_an_address_under_api_that_matches_nothing_is_a_json_404(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_pages_outside_the_api_keep_the_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"published": 0}, {"published": ["Must be true or false."]}),
        ({"telehealth": "true"}, {"telehealth": ["Must be true or false."]}),
        ({"practice_started": "2010"}, {"practice_started": ["Must be a whole number."]}),
        ({"practice_started": True}, {"practice_started": ["Must be a whole number."]}),
        ({"bio": 5}, {"bio": ["Must be a string."]}),
        ({"languages": "en"}, {"languages": ["Must be a list."]}),
        ({"publishd": True}, {"publishd": ["Unknown field."]}),
    ],
)
def test_json_values_must_have_their_documented_types(api, body, errors):
    response = api.patch("/api/v1/me/profile/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid input.", "errors": errors}
    profile = api.get("/api/v1/me/profile/").json()
    assert (profile["published"], profile["telehealth"]) == (True, False)


def test_a_clinic_phone_must_be_text(api):
    body = {
        "clinic_name": "Mission Acupuncture",
        "city": "San Francisco",
        "jurisdiction": "US-CA",
        "postal_code": "94105",
        "phone": 5550100,
        "latitude": "37.79",
    }
    response = api.post("/api/v1/me/locations/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "phone": ["Must be a string."],
        "latitude": ["Must be a number."],
    }


def test_form_data_cannot_send_an_empty_date(api):
    license = api.get("/api/v1/me/licenses/").json()[0]
    response = api.patch(
        f"/api/v1/me/licenses/{license['id']}/",
        b'--b\r\nContent-Disposition: form-data; name="issued_on"\r\n\r\n\r\n--b--\r\n',
        content_type="multipart/form-data; boundary=b",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"issued_on": ["Give a value, or leave the field out."]}


def test_a_multipart_body_without_a_named_part_is_refused(api):
    license = api.get("/api/v1/me/licenses/").json()[0]
    response = api.patch(
        f"/api/v1/me/licenses/{license['id']}/",
        b"--b\r\n[]--b--\r\n",
        content_type="multipart/form-data; boundary=b",
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Multipart body without any named part.",
        "errors": {},
    }
    # An empty JSON change is still a valid no-op.
    response = api.patch(
        f"/api/v1/me/licenses/{license['id']}/", {}, content_type="application/json"
    )
    assert response.status_code == 200
