"""Every route that changes something, tried by every persona, from one table.

The table is keyed by URL pattern name (paths and names stay when views move between apps).
Each entry says how to call the route and which personas may: for those the request must
succeed and change the database; for everyone else it must be refused with the expected
status and change nothing at all (every row of every application table, compared by an md5
computed in PostgreSQL). The last tests walk the URL configuration: a route that is neither
in the table nor listed as read-only (and proven to change nothing when written to) fails,
so a new route cannot arrive without a decision about who may use it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from credentialing.models import CredentialStatus, ProfileClaim, VerificationEvent
from directory.photos import photo_prepare, practitioner_photo_set
from tests.factories import (
    AccountFactory,
    CertificationFactory,
    LicenseFactory,
    PractitionerFactory,
    owned_practitioner,
    photo_upload,
    reviewer,
    upload,
)

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/?next="
SET_UP_TWO_FACTOR = "/accounts/2fa/"
PERSONAS = ["anonymous", "other", "owner", "staff_without_2fa", "staff"]
SIGNED_IN = set(PERSONAS) - {"anonymous"}


@dataclass
class World:
    accounts: dict[str, object]
    slug: str
    location: int
    license: str
    certification: str
    claim: str  # the owner's own pending claim on an unclaimed profile
    claim_for_review: str  # a stranger's claim, for staff to decide
    unclaimed_license: tuple[str, str]  # (jurisdiction, number) a claim may name


@pytest.fixture
def world(db) -> World:
    owner = AccountFactory(email="owner@example.com")
    practitioner = owned_practitioner(
        owner=owner, slug="mei-chen", details_confirmed_on=timezone.localdate() - ONE_YEAR
    )
    license = practitioner.licenses.get()
    license.document.save("scan.pdf", upload())
    practitioner_photo_set(practitioner=practitioner, photo=photo_prepare(photo_upload()))
    pending = CertificationFactory(practitioner=practitioner, status=CredentialStatus.PENDING)
    for credential in (license, pending):
        VerificationEvent.objects.create(
            license=credential if credential is license else None,
            certification=credential if credential is pending else None,
            to_status=credential.status,
        )
    owners_target = PractitionerFactory(slug="unclaimed-one")
    claim = ProfileClaim.objects.create(
        practitioner=owners_target,
        claimant=owner,
        license=LicenseFactory(practitioner=owners_target),
    )
    strangers_target = PractitionerFactory(slug="unclaimed-two")
    claim_for_review = ProfileClaim.objects.create(
        practitioner=strangers_target,
        claimant=AccountFactory(email="claimant@example.com"),
        license=LicenseFactory(practitioner=strangers_target),
    )
    claimable = LicenseFactory(
        practitioner=PractitionerFactory(slug="unclaimed-three"), region="NY", number="NY-777"
    )
    other = AccountFactory(email="other@example.com")
    owned_practitioner(owner=other, slug="someone-else")
    return World(
        accounts={
            "owner": owner,
            "other": other,
            "staff_without_2fa": AccountFactory(email="staff-no-2fa@example.com", is_staff=True),
            "staff": reviewer(email="staff@example.com"),
        },
        slug=practitioner.slug,
        location=practitioner.locations.get().pk,
        license=str(license.public_id),
        certification=str(pending.public_id),
        claim=str(claim.public_id),
        claim_for_review=str(claim_for_review.public_id),
        unclaimed_license=(claimable.jurisdiction, claimable.number),
    )


ONE_YEAR = datetime.timedelta(days=365)


def today() -> str:
    return timezone.localdate().isoformat()


def in_years(years: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=365 * years)).isoformat()


PROFILE = {"first_name": "Mei", "last_name": "Chen", "bio": "Changed.", "languages": ["en"]}
CLINIC = {
    "clinic_name": "Changed Clinic",
    "address": "1 Market St",
    "city": "San Francisco",
    "jurisdiction": "US-CA",
    "postal_code": "94105",
}


def license_form(number: str) -> dict:
    return {
        "jurisdiction": "US-NY",
        "license_type": "L.Ac.",
        "number": number,
        "issued_on": in_years(-2),
        "expires_on": in_years(2),
        "document": upload(),
    }


def certification_form(number: str) -> dict:
    return {
        "body": "NCCAOM",
        "credential": "Dipl. Ac.",
        "number": number,
        "issued_on": in_years(-2),
        "expires_on": in_years(2),
        "document": upload(),
    }


@dataclass
class Route:
    method: str  # post, patch, put, delete
    path: Callable[[World], str]
    data: Callable[[World], dict]
    allowed: set[str]  # personas for whom it succeeds and changes something
    succeeds: int  # the status it answers them
    refused: dict[str, int]  # the status everyone else gets


DASHBOARD_REFUSED = {"anonymous": 302, "other": 404, "staff_without_2fa": 404}
OWN_REFUSED = {"anonymous": 302}  # acts on the signed-in account itself
# Staff without two-factor are sent to set up an authenticator app first.
REVIEW_REFUSED = {"anonymous": 302, "other": 403, "owner": 403, "staff_without_2fa": 302}
ME_REFUSED = {"anonymous": 401, "other": 404, "staff": 404, "staff_without_2fa": 404}
ME_COLLECTION_REFUSED = {"anonymous": 401, "staff": 404, "staff_without_2fa": 404}


def dashboard(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/dashboard/profile/{w.slug}/{suffix.format(w=w)}"


TABLE: dict[str, list[Route]] = {
    # Pages: the practitioner dashboard. The owner and staff with two-factor may edit a
    # profile (staff edit other practitioners); another practitioner and staff without
    # two-factor get 404 (they cannot tell it exists); anonymous visitors go to log in.
    "accounts:practitioner-edit": [
        Route("post", dashboard("edit/"), lambda w: PROFILE, {"owner", "staff"}, 302,
              DASHBOARD_REFUSED),
    ],
    "accounts:practitioner-confirm": [
        Route("post", dashboard("confirm/"), lambda w: {}, {"owner", "staff"}, 302,
              DASHBOARD_REFUSED),
    ],
    "accounts:practitioner-photo": [
        Route("post", dashboard("photo/"), lambda w: {"photo": photo_upload()},
              {"owner", "staff"}, 302, DASHBOARD_REFUSED),
    ],
    "accounts:practitioner-photo-remove": [  # the world's profile has a photo
        Route("post", dashboard("photo/remove/"), lambda w: {}, {"owner", "staff"}, 302,
              DASHBOARD_REFUSED),
    ],
    "accounts:location-new": [
        Route("post", dashboard("clinics/new/"), lambda w: CLINIC, {"owner", "staff"}, 302,
              DASHBOARD_REFUSED),
    ],
    "accounts:location-edit": [
        Route("post", dashboard("clinics/{w.location}/"), lambda w: CLINIC, {"owner", "staff"},
              302, DASHBOARD_REFUSED),
    ],
    "accounts:location-delete": [
        Route("post", dashboard("clinics/{w.location}/remove/"), lambda w: {},
              {"owner", "staff"}, 302, DASHBOARD_REFUSED),
    ],
    "accounts:license-new": [
        Route("post", dashboard("licenses/new/"), lambda w: license_form("NEW-1"),
              {"owner", "staff"}, 302, DASHBOARD_REFUSED),
    ],
    "accounts:license-edit": [
        Route("post", dashboard("licenses/{w.license}/"), lambda w: license_form("EDIT-1"),
              {"owner", "staff"}, 302, DASHBOARD_REFUSED),
    ],
    "accounts:certification-new": [
        Route("post", dashboard("certifications/new/"), lambda w: certification_form("C-NEW"),
              {"owner", "staff"}, 302, DASHBOARD_REFUSED),
    ],
    "accounts:certification-edit": [
        Route("post", dashboard("certifications/{w.certification}/"),
              lambda w: certification_form("C-EDIT"), {"owner", "staff"}, 302,
              DASHBOARD_REFUSED),
    ],
    # An account's own profile, claim and token: each signed-in persona acts on itself.
    # Those who already have a profile are refused a second one and a claim (400).
    "accounts:practitioner-new": [
        Route("post", lambda w: "/dashboard/new/", lambda w: PROFILE,
              {"staff", "staff_without_2fa"}, 302, {**OWN_REFUSED, "owner": 400, "other": 400}),
    ],
    "accounts:claim-new": [
        Route("post", lambda w: "/dashboard/claim/",
              lambda w: dict(zip(["jurisdiction", "number"], w.unclaimed_license, strict=True)),
              {"staff", "staff_without_2fa"}, 302, {**OWN_REFUSED, "owner": 400, "other": 400}),
    ],
    "accounts:claim": [  # withdrawing: the claimant only
        Route("post", lambda w: f"/dashboard/claims/{w.claim}/", lambda w: {}, {"owner"}, 302,
              # Staff may read a claim; a withdrawal they send shows it again, unchanged.
              {"anonymous": 302, "other": 404, "staff_without_2fa": 404, "staff": 200}),
    ],
    "accounts:api-token": [
        Route("post", lambda w: "/dashboard/api-token/", lambda w: {"action": "create"},
              SIGNED_IN, 200, OWN_REFUSED),
    ],
    # Staff decisions: staff with two-factor only.
    "review:license": [
        Route("post", lambda w: f"/review/licenses/{w.license}/",
              lambda w: {"decision": "revoke", "reason": "Board says revoked."}, {"staff"}, 302,
              REVIEW_REFUSED),
    ],
    "review:certification": [
        Route("post", lambda w: f"/review/certifications/{w.certification}/",
              lambda w: {"decision": "approve", "source": "NCCAOM", "checked_on": today()},
              {"staff"}, 302, REVIEW_REFUSED),
    ],
    "review:claim": [
        Route("post", lambda w: f"/review/claims/{w.claim_for_review}/",
              lambda w: {"decision": "approve"}, {"staff"}, 302, REVIEW_REFUSED),
    ],
    # /api/v1/me/: the signed-in account's own profile only; staff decide on the review
    # pages, which need two-factor, never through it.
    "api-me-profile": [
        Route("patch", lambda w: "/api/v1/me/profile/", lambda w: {"bio": "Changed."},
              {"owner", "other"}, 200, {"anonymous": 401, "staff": 404,
                                        "staff_without_2fa": 404}),
    ],
    "api-me-locations": [
        Route("post", lambda w: "/api/v1/me/locations/", lambda w: CLINIC, {"owner", "other"},
              201, ME_COLLECTION_REFUSED),
    ],
    "api-me-location": [
        Route("patch", lambda w: f"/api/v1/me/locations/{w.location}/",
              lambda w: {"clinic_name": "Changed"}, {"owner"}, 200, ME_REFUSED),
        Route("delete", lambda w: f"/api/v1/me/locations/{w.location}/", lambda w: {},
              {"owner"}, 204, ME_REFUSED),
    ],
    "api-me-licenses": [
        Route("post", lambda w: "/api/v1/me/licenses/", lambda w: license_form("API-NEW"),
              {"owner", "other"}, 201, ME_COLLECTION_REFUSED),
    ],
    "api-me-license": [
        Route("patch", lambda w: f"/api/v1/me/licenses/{w.license}/",
              lambda w: {"number": "API-EDIT"}, {"owner"}, 200, ME_REFUSED),
    ],
    "api-me-certifications": [
        Route("post", lambda w: "/api/v1/me/certifications/",
              lambda w: certification_form("API-C-NEW"), {"owner", "other"}, 201,
              ME_COLLECTION_REFUSED),
    ],
    "api-me-certification": [
        Route("patch", lambda w: f"/api/v1/me/certifications/{w.certification}/",
              lambda w: {"number": "API-C-EDIT"}, {"owner"}, 200, ME_REFUSED),
    ],
}  # fmt: skip

# Routes that only read: written to (POST, PUT, PATCH, DELETE) by staff with two-factor, the
# most powerful persona, they must change nothing. Reads by persona are tested elsewhere
# (tests/accounts/test_permissions.py and the pages' own tests).
READ_ONLY = {
    "favicon.ico",
    "directory:home",
    "directory:search",
    "directory:practitioner-detail",
    "directory:verification-history",
    "directory:condition-detail",
    "directory:photo",
    "accounts:dashboard",
    "accounts:practitioner",
    "accounts:license-document",
    "accounts:certification-document",
    "review:queue",
    "review:monitoring",
    "evidence:library",
    "evidence:study-detail",
    "evidence:claims",
    "api-practitioner-search",
    "api-practitioner-detail",
    "api-places",
    "api-study-list",
    "api-study-detail",
    "api-claim-list",
    "api-condition-list",
    "api-schema",
    "api-docs",
    # The FHIR API reads only (its bulk export is delegated below); POST _search is a search.
    "fhir:metadata",
    "fhir:search",
    "fhir:search-post",
    "fhir:read",
    "fhir:vread",
    "fhir:history-instance",
    "fhir:history-type",
    "fhir/",
    "fhir/<path:rest>",
}

# Whole families with their own guard and their own tests.
DELEGATED_PREFIXES = {
    # Django's admin: staff with two-factor only (tests/directory/test_admin.py and
    # tests/accounts/test_admin.py: every model's pages, the evidence import).
    "admin/": "the admin",
    # allauth: sign-up, log-in, email, password and authenticator flows, each acting on the
    # account that is signed in or signing in (tests/accounts/test_auth.py, test_totp.py).
    "accounts/": "allauth",
    # FHIR Bulk Data export: anyone may start one (public directory data, as the Bulk Data
    # guide's system export); rate limited; kick-off, polling, cancel and the files in
    # tests/fhir_api/test_export.py.
    "fhir/$export": "FHIR bulk export",
}


def snapshot() -> dict[str, str]:
    """An md5 over the rows of every table, but sessions, migrations and the gazetteer (a
    reference table only load_places writes, and large enough to slow every case down)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN "
            "('django_session', 'django_migrations', 'directory_place') ORDER BY 1"
        )
        tables = [row[0] for row in cursor.fetchall()]
        digests = {}
        for table in tables:
            cursor.execute(
                f"SELECT md5(coalesce(string_agg(md5(t::text), ',' ORDER BY md5(t::text)), ''))"
                f" FROM public.{connection.ops.quote_name(table)} t"
            )
            digests[table] = cursor.fetchone()[0]
    return digests


def client_for(world: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(world.accounts[persona])
    return client


def send(client: Client, method: str, path: str, data: dict):
    """Pages take forms; the API takes JSON, or multipart when a document is uploaded."""
    has_file = any(hasattr(value, "read") for value in data.values())
    if method == "post" and (has_file or not path.startswith("/api/")):
        return client.post(path, data)
    return getattr(client, method)(path, data, content_type="application/json")


CASES = [
    pytest.param(name, index, persona, id=f"{name}-{route.method}-{persona}")
    for name, routes in TABLE.items()
    for index, route in enumerate(routes)
    for persona in PERSONAS
]


@pytest.mark.parametrize(("name", "index", "persona"), CASES)
def test_each_persona_may_do_only_what_the_table_says(world, name, index, persona):
    route = TABLE[name][index]
    path = route.path(world)
    assert reverse_matches(name, path), f"{path} is not the route {name}"
    client = client_for(world, persona)
    before = snapshot()
    response = send(client, route.method, path, route.data(world))
    after = snapshot()
    if persona in route.allowed:
        assert response.status_code == route.succeeds, response.content[:500]
        assert after != before, f"{persona} was allowed {name} but nothing changed"
    else:
        assert response.status_code == route.refused[persona], response.content[:500]
        changed = sorted(table for table in before if before[table] != after[table])
        assert changed == [], f"{persona} was refused {name}, yet {changed} changed"
        if response.status_code == 302:
            expected = LOGIN if persona == "anonymous" else SET_UP_TWO_FACTOR
            assert response["Location"].startswith(expected), response["Location"]


def test_the_table_gives_every_persona_an_answer():
    for name, routes in TABLE.items():
        for route in routes:
            assert route.allowed, name
            assert route.allowed | set(route.refused) == set(PERSONAS), name
            assert not route.allowed & set(route.refused), name


def reverse_matches(name: str, path: str) -> bool:
    match = resolve(path)
    return (match.view_name or match.route) == name


def all_routes() -> list[tuple[str, str, URLPattern]]:
    """(key, full route, pattern) for every route: its namespaced name, or its path if none."""
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                route = prefix + str(pattern.pattern)
                key = namespace + pattern.name if pattern.name else route
                found.append((key, route, pattern))

    walk(get_resolver().url_patterns, "", "")
    return found


def test_every_route_is_in_the_table_read_only_or_delegated():
    unclassified = [
        (key, route)
        for key, route, _ in all_routes()
        if key not in TABLE
        and key not in READ_ONLY
        and not any(route.startswith(prefix) for prefix in DELEGATED_PREFIXES)
    ]
    assert unclassified == [], (
        "New routes need an entry: in TABLE (who may change what) or READ_ONLY "
        f"(proven below to change nothing): {unclassified}"
    )
    keys = {key for key, _, _ in all_routes()}
    assert keys >= set(TABLE) | READ_ONLY, "entries for routes that no longer exist"
    routes = [route for _, route, _ in all_routes()]
    assert all(any(route.startswith(prefix) for route in routes) for prefix in DELEGATED_PREFIXES)


def sample_path(world: World, key: str, route: str, pattern: URLPattern) -> str:
    values = {
        "slug": world.slug,
        "public_id": world.license,
        "pk": world.location,
        "resource_type": "Practitioner",
        "resource_id": world.slug,
        "version_id": "0" * 16,
        "rest": "Practitioner/x/_history",
        "name": "0" * 32 + "-96.webp",
    }
    if key.startswith("evidence:") or key in {"api-study-detail", "directory:condition-detail"}:
        values["slug"] = "no-such-study"  # a 404 changes nothing either
    if key == "accounts:certification-document":
        values["public_id"] = world.certification
    kwargs = {name: values[name] for name in pattern.pattern.converters}
    if not pattern.name:
        return "/" + route.replace("<path:rest>", values["rest"])
    return reverse(key, kwargs=kwargs)


@pytest.mark.parametrize("key", sorted(READ_ONLY))
def test_read_only_routes_change_nothing_when_written_to(world, key):
    [(_, route, pattern)] = [entry for entry in all_routes() if entry[0] == key]
    path = sample_path(world, key, route, pattern)
    client = client_for(world, "staff")
    before = snapshot()
    for method in ["post", "put", "patch", "delete"]:
        response = send(client, method, path, {"bio": "x", "decision": "approve"})
        assert response.status_code < 500, (method, path, response.status_code)
    assert snapshot() == before
