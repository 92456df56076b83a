"""A practitioner keeps their own profile, clinics and credentials through the dashboard."""

from __future__ import annotations

import datetime

import pytest
from django.utils.formats import date_format

from credentialing.models import CredentialStatus, License, VerificationEvent
from directory.models import GeocodePrecision, Location, Place, Practitioner
from evidence.models import Condition, Intervention
from tests.accounts.conftest import license_fields, on
from tests.factories import (
    PDF_BYTES,
    AccountFactory,
    LicenseFactory,
    LocationFactory,
    png_bytes,
    today,
    upload,
)

pytestmark = pytest.mark.django_db

PROFILE = {
    "first_name": "Mei",
    "last_name": "Chen",
    "credentials": "L.Ac.",
    "bio": "Headaches and sleep.",
    "practice_started": "2012",
    "languages": ["en", "yue"],
    "accepting_new_patients": "on",
    "published": "on",
}


def errors(response) -> dict:
    """The refused form's messages; a refused form always answers 400."""
    assert response.status_code == 400
    return response.context["form"].errors


def test_a_new_account_is_offered_to_create_or_claim_a_profile(owner_client):
    response = owner_client.get("/dashboard/")
    html = response.content.decode()
    assert 'href="/dashboard/new/"' in html and 'href="/dashboard/claim/"' in html


def test_creating_a_profile_makes_it_yours_and_confirms_it(owner_client, owner):
    migraine = Condition.objects.get(slug="migraine")
    cupping = Intervention.objects.get(slug="cupping")
    data = {**PROFILE, "conditions": [migraine.pk], "techniques": [cupping.pk]}
    response = owner_client.post("/dashboard/new/", data)
    assert response["Location"] == "/dashboard/profile/mei-chen/"
    practitioner = Practitioner.objects.get()
    assert (practitioner.owner, practitioner.slug, practitioner.full_name) == (
        owner,
        "mei-chen",
        "Mei Chen",
    )
    assert practitioner.languages == ["en", "yue"]
    assert list(practitioner.conditions.all()) == [migraine]
    assert list(practitioner.techniques.all()) == [cupping]
    assert practitioner.details_confirmed_on == practitioner.accepting_new_patients_on == today()
    assert owner_client.get("/dashboard/")["Location"] == "/dashboard/profile/mei-chen/"


def test_a_second_profile_for_the_same_account_is_refused(owner_client, practitioner):
    response = owner_client.post("/dashboard/new/", {**PROFILE, "first_name": "Other"})
    assert errors(response) == {"__all__": ["This account already has a profile."]}
    assert Practitioner.objects.count() == 1


def test_slugs_stay_unique(client):
    for _ in range(2):
        client.force_login(AccountFactory())
        client.post("/dashboard/new/", PROFILE)
    assert sorted(Practitioner.objects.values_list("slug", flat=True)) == [
        "mei-chen",
        "mei-chen-2",
    ]


def test_a_year_in_the_future_is_refused_and_nothing_changes(owner_client, practitioner):
    next_year = str(today().year + 1)
    response = owner_client.post(
        "/dashboard/profile/mei-chen/edit/", {**PROFILE, "practice_started": next_year}
    )
    assert errors(response) == {"practice_started": ["The year cannot be in the future."]}
    practitioner.refresh_from_db()
    assert practitioner.practice_started == 2010


def test_saving_the_profile_confirms_it(owner_client, practitioner):
    long_ago = today() - datetime.timedelta(days=120)
    Practitioner.objects.filter(pk=practitioner.pk).update(
        details_confirmed_on=long_ago, accepting_new_patients_on=long_ago
    )
    response = owner_client.post(
        "/dashboard/profile/mei-chen/edit/", {**PROFILE, "bio": "Now also fertility."}
    )
    assert response["Location"] == "/dashboard/profile/mei-chen/"
    practitioner.refresh_from_db()
    assert practitioner.bio == "Now also fertility."
    assert practitioner.details_confirmed_on == practitioner.accepting_new_patients_on == today()


def test_confirming_without_changes(owner_client, practitioner):
    long_ago = today() - datetime.timedelta(days=170)
    Practitioner.objects.filter(pk=practitioner.pk).update(
        details_confirmed_on=long_ago, accepting_new_patients_on=long_ago
    )
    assert owner_client.get("/dashboard/profile/mei-chen/confirm/").status_code == 405
    owner_client.post("/dashboard/profile/mei-chen/confirm/")
    practitioner.refresh_from_db()
    assert practitioner.details_confirmed_on == practitioner.accepting_new_patients_on == today()


def test_dashboard_says_when_details_are_overdue_and_status_hidden(owner_client, practitioner):
    long_ago = today() - datetime.timedelta(days=200)
    Practitioner.objects.filter(pk=practitioner.pk).update(
        details_confirmed_on=long_ago, accepting_new_patients_on=long_ago
    )
    html = owner_client.get("/dashboard/profile/mei-chen/").content.decode()
    assert "Overdue: over six months ago" in html
    assert "Hidden from patients until you confirm it" in html


CLINIC = {
    "clinic_name": "Mission Acupuncture",
    "address": "1 Market St",
    "city": "San Francisco",
    "jurisdiction": "US-CA",
    "postal_code": "94105",
    "website": "mission.example",
}


def clinic_state(location: Location) -> tuple:
    return (location.latitude, location.longitude, location.geocode_precision)


def zip_centre(postal_code: str) -> tuple:
    place = Place.objects.get(kind="postal", postal_code=postal_code)
    return (place.latitude, place.longitude, GeocodePrecision.POSTAL)


def test_a_clinic_without_a_pin_is_placed_from_its_address(owner_client, practitioner):
    response = owner_client.post("/dashboard/profile/mei-chen/clinics/new/", CLINIC)
    assert response["Location"] == "/dashboard/profile/mei-chen/"
    location = practitioner.locations.get(clinic_name="Mission Acupuncture")
    assert (location.country, location.region, location.website) == (
        "US",
        "CA",
        "https://mission.example",
    )
    assert clinic_state(location) == zip_centre("94105")


def test_a_pin_the_practitioner_places_is_kept_as_exact(owner_client, practitioner):
    data = {**CLINIC, "latitude": "37.79", "longitude": "-122.39"}
    owner_client.post("/dashboard/profile/mei-chen/clinics/new/", data)
    location = practitioner.locations.get(clinic_name="Mission Acupuncture")
    assert clinic_state(location) == (37.79, -122.39, GeocodePrecision.ROOFTOP)


def test_a_new_address_under_an_unmoved_pin_places_the_clinic_again(owner_client, practitioner):
    location = practitioner.locations.get()  # from the factory: a postal-code centre
    url = f"/dashboard/profile/mei-chen/clinics/{location.pk}/"
    same_pin = {**CLINIC, "latitude": location.latitude, "longitude": location.longitude}
    owner_client.post(url, {**same_pin, "address": "1 Market St"})
    location.refresh_from_db()
    assert location.geocode_precision == GeocodePrecision.POSTAL  # nothing moved

    owner_client.post(url, {**same_pin, "address": "500 Castro St", "postal_code": "94114"})
    location.refresh_from_db()
    assert (location.address, *clinic_state(location)) == ("500 Castro St", *zip_centre("94114"))

    owner_client.post(url, {**CLINIC, "latitude": "37.76", "longitude": "-122.435"})
    location.refresh_from_db()
    assert clinic_state(location) == (37.76, -122.435, GeocodePrecision.ROOFTOP)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"latitude": "37.7"},
            {"__all__": ["Give both latitude and longitude for the pin, or neither."]},
        ),
        (
            {"latitude": "91", "longitude": "0"},
            {"latitude": ["Ensure this value is less than or equal to 90."]},
        ),
        (
            {"jurisdiction": "US-XX"},
            {"jurisdiction": ["Select a valid choice. US-XX is not one of the available choices."]},
        ),
        (
            {"jurisdiction": "US"},
            {"jurisdiction": ["Select a valid choice. US is not one of the available choices."]},
        ),
        ({"city": ""}, {"city": ["This field is required."]}),
        ({"website": "not a url"}, {"website": ["Enter a valid URL."]}),
    ],
)
def test_bad_clinic_input_is_refused_and_nothing_is_saved(
    owner_client, practitioner, change, expected
):
    response = owner_client.post("/dashboard/profile/mei-chen/clinics/new/", {**CLINIC, **change})
    assert response.status_code == 400
    assert errors(response) == expected
    assert practitioner.locations.count() == 1


def test_removing_a_clinic(owner_client, practitioner):
    extra = LocationFactory(practitioner=practitioner, clinic_name="Annex")
    url = f"/dashboard/profile/mei-chen/clinics/{extra.pk}/remove/"
    assert "Remove Annex" in owner_client.get(url).content.decode()
    assert owner_client.post(url)["Location"] == "/dashboard/profile/mei-chen/"
    assert list(practitioner.locations.values_list("clinic_name", flat=True)) != ["Annex"]
    assert not Location.objects.filter(pk=extra.pk).exists()


def test_a_new_license_goes_to_review_with_its_document(owner_client, practitioner, private_files):
    fields = license_fields()
    response = owner_client.post(
        "/dashboard/profile/mei-chen/licenses/new/", {**fields, "document": upload("scan.PDF")}
    )
    assert response["Location"] == "/dashboard/profile/mei-chen/"
    license = practitioner.licenses.get(number="012345")
    assert (license.country, license.region, license.status, license.source) == (
        "US",
        "NY",
        CredentialStatus.PENDING,
        "",
    )
    assert license.expires_on.isoformat() == fields["expires_on"]
    name = license.document.name
    assert name.startswith("credentials/") and "scan" not in name and len(name) == 44
    assert (private_files / name).read_bytes() == PDF_BYTES
    event = VerificationEvent.objects.get(license=license)
    assert (event.from_status, event.to_status, event.reason) == (
        "",
        "pending",
        "Submitted for verification.",
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"document": upload("scan.pdf", b"MZ\x90\x00 not a pdf")},
            {
                "document": [
                    "This file is not a PDF, PNG or JPEG. Upload a scan in one of those formats "
                    "(the file's contents are checked, not its name)."
                ]
            },
        ),
        ({"document": ""}, {"document": ["This field is required."]}),
        (
            {"document": upload("scan.pdf", b"")},
            {"document": ["The submitted file is empty."]},
        ),
        (
            {"expires_on": on(-7 * 365)},
            {"expires_on": ["The expiry date must be after the issue date."]},
        ),
        (
            {"jurisdiction": "XX-CA"},
            {"jurisdiction": ["Select a valid choice. XX-CA is not one of the available choices."]},
        ),
        ({"expires_on": "31/01/2030"}, {"expires_on": ["Enter a valid date."]}),
    ],
)
def test_bad_license_input_is_refused_and_nothing_is_saved(
    owner_client, practitioner, private_files, change, expected
):
    data = {**license_fields(), "document": upload(), **change}
    response = owner_client.post("/dashboard/profile/mei-chen/licenses/new/", data)
    assert response.status_code == 400
    assert errors(response) == expected
    assert practitioner.licenses.count() == 1
    assert not private_files.exists() or not any(private_files.rglob("*.*"))
    assert not VerificationEvent.objects.exists()


def test_an_oversized_document_is_refused(owner_client, practitioner, settings, private_files):
    settings.DOCUMENT_MAX_BYTES = 1024
    big = upload("scan.pdf", PDF_BYTES + b"0" * 2048)
    response = owner_client.post(
        "/dashboard/profile/mei-chen/licenses/new/", {**license_fields(), "document": big}
    )
    assert errors(response) == {
        "document": ["The file is 0.0 MB; the limit is 0 MB. Upload a smaller scan."]
    }
    assert practitioner.licenses.count() == 1
    assert not VerificationEvent.objects.exists()
    assert not any(path.is_file() for path in private_files.rglob("*"))


def test_a_license_number_listed_elsewhere_is_refused(owner_client, practitioner):
    LicenseFactory(region="NY", number="012345")  # someone else's
    response = owner_client.post(
        "/dashboard/profile/mei-chen/licenses/new/", {**license_fields(), "document": upload()}
    )
    assert errors(response) == {
        "__all__": [
            "This license number is already listed for this jurisdiction and type. "
            "If it is yours, claim the profile that holds it instead."
        ]
    }
    assert practitioner.licenses.count() == 1
    assert not VerificationEvent.objects.exists()


def edit_url(credential) -> str:
    return f"/dashboard/profile/mei-chen/licenses/{credential.public_id}/"


def form_of(license: License, **change) -> dict:
    return {
        "jurisdiction": license.jurisdiction,
        "license_type": license.license_type,
        "number": license.number,
        "issued_on": license.issued_on.isoformat(),
        "expires_on": license.expires_on.isoformat(),
        **change,
    }


def test_saving_a_license_unchanged_keeps_its_verification(owner_client, practitioner):
    license = practitioner.licenses.get()
    owner_client.post(edit_url(license), form_of(license))
    license.refresh_from_db()
    assert license.status == CredentialStatus.VERIFIED
    assert not VerificationEvent.objects.exists()


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"number": "AC99999"}, "number"),
        ({"jurisdiction": "US-NV"}, "jurisdiction"),
        ({"jurisdiction": "GB"}, "jurisdiction"),
        ({"license_type": "DOM"}, "type"),
        ({"expires_on": on(400)}, "expiry date"),
        ({"issued_on": on(-400)}, "issue date"),
        ({"document": "new"}, "document"),
    ],
)
def test_changing_a_key_field_sends_a_verified_license_back_to_review(
    owner_client, owner, practitioner, change, named
):
    license = practitioner.licenses.get()
    if change.get("document"):
        change = {"document": upload("renewed.png", png_bytes())}
    response = owner_client.post(edit_url(license), form_of(license, **change))
    assert response["Location"] == "/dashboard/profile/mei-chen/"
    license.refresh_from_db()
    assert (license.status, license.verified_on, license.source) != ("verified", None, "")
    assert license.status == CredentialStatus.PENDING
    event = VerificationEvent.objects.get()
    assert (event.license, event.actor, event.from_status, event.to_status, event.reason) == (
        license,
        owner,
        "verified",
        "pending",
        f"Changed by the practitioner ({named}); back in review.",
    )


def test_a_replaced_document_is_deleted_once_saved(
    owner_client, practitioner, private_files, django_capture_on_commit_callbacks
):
    owner_client.post(
        "/dashboard/profile/mei-chen/licenses/new/", {**license_fields(), "document": upload()}
    )
    license = practitioner.licenses.get(number="012345")
    first = private_files / license.document.name
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(edit_url(license), form_of(license, document=upload("new.pdf")))
    license.refresh_from_db()
    assert not first.exists()
    assert (private_files / license.document.name).exists()


def test_dashboard_shows_expiry_status_and_reasons(owner_client, practitioner):
    LicenseFactory(
        practitioner=practitioner,
        region="OR",
        number="OR-OLD",
        issued_on=today() - datetime.timedelta(days=5 * 365),
        expires_on=today() - datetime.timedelta(days=2 * 365),
    )
    rejected = LicenseFactory(
        practitioner=practitioner, region="WA", number="WA-1", status="pending"
    )
    VerificationEvent.objects.create(
        license=rejected,
        from_status="pending",
        to_status="rejected",
        reason="Number not on register.",
    )
    License.objects.filter(pk=rejected.pk).update(status="rejected")

    html = owner_client.get("/dashboard/profile/mei-chen/").content.decode()
    expired = today() - datetime.timedelta(days=2 * 365)
    assert f"Expired on {date_format(expired)}: it no longer counts" in html
    assert "Reviewer's reason: Number not on register." in html
    assert 'href="/dashboard/profile/mei-chen/licenses/' in html
