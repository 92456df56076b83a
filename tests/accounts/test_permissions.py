"""Every page and endpoint that touches an owned object, tried by four personas: the
owner and staff succeed; another practitioner gets 404 and an anonymous visitor is sent
to log in (pages) or refused (API), and neither ever sees the owner's data."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from credentialing.models import License, ProfileClaim
from directory.models import Location, Practitioner
from tests.factories import (
    PDF_BYTES,
    AccountFactory,
    CertificationFactory,
    LicenseFactory,
    PractitionerFactory,
    upload,
)

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "other", "staff", "anonymous"]
SECRET = "AC-OWNERS-OWN"  # the owner's license number: must never reach an outsider

# Each owned page, and what its owner (or staff) must see on it.
PAGES = {
    "/dashboard/profile/{slug}/": "rofile: Mei Chen</h1>",
    "/dashboard/profile/{slug}/edit/": 'value="Mei"',
    "/dashboard/profile/{slug}/clinics/new/": "<h1>Add a clinic</h1>",
    "/dashboard/profile/{slug}/clinics/{location}/": 'value="{clinic}"',
    "/dashboard/profile/{slug}/clinics/{location}/remove/": "Remove {clinic}, San Francisco?",
    "/dashboard/profile/{slug}/licenses/new/": "<h1>Add a license</h1>",
    "/dashboard/profile/{slug}/licenses/{license}/": f"Edit license {SECRET}",
    "/dashboard/profile/{slug}/licenses/{license}/document/": PDF_BYTES.decode(),
    "/dashboard/profile/{slug}/certifications/new/": "<h1>Add a certification</h1>",
    "/dashboard/profile/{slug}/certifications/{certification}/": "Edit certification {cert}",
    "/dashboard/profile/{slug}/certifications/{certification}/document/": PDF_BYTES.decode(),
}


@pytest.fixture
def ids(practitioner):
    license = practitioner.licenses.get()
    License.objects.filter(pk=license.pk).update(number=SECRET)
    license.refresh_from_db()
    license.document.save("scan.pdf", upload())
    certification = CertificationFactory(practitioner=practitioner)
    certification.document.save("cert.pdf", upload())
    location = practitioner.locations.get()
    return {
        "slug": practitioner.slug,
        "location": location.pk,
        "clinic": location.clinic_name,
        "license": license.public_id,
        "certification": certification.public_id,
        "cert": certification.number,
    }


def sign_in(client, request, persona: str):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_owned_pages_open_only_for_owner_and_staff(client, request, ids, other, page, persona):
    url = page.format(**ids)
    response = sign_in(client, request, persona).get(url)
    if persona in {"owner", "staff"}:
        assert response.status_code == 200
        assert PAGES[page].format(**ids) in body(response).decode()
    elif persona == "other":
        assert response.status_code == 404
        assert SECRET.encode() not in body(response) and b"Mei Chen" not in body(response)
    else:
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(
    "page",
    [
        "/dashboard/profile/someone-else/clinics/{location}/",
        "/dashboard/profile/someone-else/clinics/{location}/remove/",
        "/dashboard/profile/someone-else/licenses/{license}/",
        "/dashboard/profile/someone-else/licenses/{license}/document/",
        "/dashboard/profile/someone-else/certifications/{certification}/",
        "/dashboard/profile/someone-else/certifications/{certification}/document/",
        "/dashboard/profile/someone-else/certifications/{license}/",
    ],
)
def test_other_peoples_ids_under_your_own_slug_are_not_found(client, ids, other, page):
    client.force_login(other)
    assert client.get(page.format(**ids)).status_code == 404


def test_staff_without_two_factor_are_outsiders(client, ids):
    client.force_login(AccountFactory(is_staff=True))
    for page in PAGES:
        assert client.get(page.format(**ids)).status_code == 404, page


def test_outsiders_change_nothing(client, request, ids, other, practitioner):
    license = License.objects.get(number=SECRET)
    before = (
        Practitioner.objects.values().get(pk=practitioner.pk),
        list(Location.objects.values()),
        list(License.objects.values()),
    )
    slug, location = ids["slug"], ids["location"]
    attempts = [
        (f"/dashboard/profile/{slug}/confirm/", {}),
        (f"/dashboard/profile/{slug}/edit/", {"first_name": "X", "last_name": "Y"}),
        (f"/dashboard/profile/{slug}/clinics/{location}/", {"city": "Elsewhere"}),
        (f"/dashboard/profile/{slug}/clinics/{location}/remove/", {}),
        (f"/dashboard/profile/{slug}/clinics/new/", {"city": "X", "jurisdiction": "US-CA"}),
        (f"/dashboard/profile/{slug}/licenses/{license.public_id}/", {"number": "X1"}),
        (
            f"/dashboard/profile/{slug}/licenses/new/",
            {"jurisdiction": "US-CA", "license_type": "L.Ac.", "number": "Z9"},
        ),
    ]
    for persona in ["other", "anonymous"]:
        client.logout()
        sign_in(client, request, persona)
        for url, data in attempts:
            assert client.post(url, data).status_code in {302, 404}, (persona, url)
    after = (
        Practitioner.objects.values().get(pk=practitioner.pk),
        list(Location.objects.values()),
        list(License.objects.values()),
    )
    assert after == before


@pytest.fixture
def claim(db):
    unclaimed = PractitionerFactory(slug="unclaimed")
    license = LicenseFactory(practitioner=unclaimed, number="CLAIM-1")
    return ProfileClaim.objects.create(
        practitioner=unclaimed,
        claimant=AccountFactory(email="claimant@example.com"),
        license=license,
    )


@pytest.mark.parametrize("persona", ["claimant", "other", "staff", "anonymous"])
def test_a_claim_is_seen_by_its_claimant_and_staff_only(client, request, claim, persona):
    url = f"/dashboard/claims/{claim.public_id}/"
    if persona == "claimant":
        client.force_login(claim.claimant)
    else:
        sign_in(client, request, persona)
    response = client.get(url)
    expected = {"claimant": 200, "staff": 200, "other": 404, "anonymous": 302}[persona]
    assert response.status_code == expected
    if expected == 200:
        assert "Your claim on" in response.content.decode()
    else:
        assert b"claimant@example.com" not in response.content
    client.post(url)  # withdrawing: only the claimant may
    claim.refresh_from_db()
    assert claim.status == ("withdrawn" if persona == "claimant" else "pending")


STAFF_PAGES = [
    "/review/",
    "/review/monitoring/",
    "/review/licenses/{license}/",
    "/review/certifications/{certification}/",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", [*STAFF_PAGES, "/review/claims/{claim}/"])
def test_review_pages_are_for_staff_only(client, request, ids, claim, other, page, persona):
    url = page.format(**ids, claim=claim.public_id)
    response = sign_in(client, request, persona).get(url)
    expected = {"owner": 403, "other": 403, "staff": 200, "anonymous": 302}[persona]
    assert response.status_code == expected
    if expected != 200:
        assert SECRET.encode() not in response.content


API = [
    ("get", "/api/v1/me/locations/{location}/"),
    ("patch", "/api/v1/me/locations/{location}/"),
    ("delete", "/api/v1/me/locations/{location}/"),
    ("get", "/api/v1/me/licenses/{license}/"),
    ("patch", "/api/v1/me/licenses/{license}/"),
    ("get", "/api/v1/me/certifications/{certification}/"),
    ("patch", "/api/v1/me/certifications/{certification}/"),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "endpoint"), API)
def test_me_endpoints_reach_only_your_own_objects(
    client, request, ids, other, method, endpoint, persona
):
    """/api/v1/me/ is the signed-in account's own data: staff decide on other people's
    credentials on the review pages (which need two-factor), not through it."""
    url = endpoint.format(**ids)
    response = getattr(sign_in(client, request, persona), method)(
        url, {}, content_type="application/json"
    )
    expected = {"owner": 204 if method == "delete" else 200, "other": 404, "staff": 404}
    assert response.status_code == expected.get(persona, 401)
    if persona != "owner":
        assert SECRET.encode() not in response.content
        assert set(response.json()) == {"detail", "errors"}
    assert Location.objects.filter(pk=ids["location"]).exists() == (
        not (persona == "owner" and method == "delete")
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_me_profile_is_your_own(client, request, ids, other, persona):
    response = sign_in(client, request, persona).get("/api/v1/me/profile/")
    expected = {"owner": (200, "mei-chen"), "other": (200, "someone-else"), "staff": (404, None)}
    status, slug = expected.get(persona, (401, None))
    assert response.status_code == status
    assert response.json().get("slug") == slug


def test_a_token_opens_the_api_without_a_session(client, ids, owner):
    token = Token.objects.create(user=owner)
    response = client.get("/api/v1/me/licenses/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert [item["number"] for item in response.json()] == [SECRET]
    refused = client.get("/api/v1/me/licenses/", HTTP_AUTHORIZATION="Token not-a-token")
    assert refused.status_code == 401
    assert refused.json() == {"detail": "Invalid token.", "errors": {}}
