"""Staff can find and edit practitioners and credentials in the admin."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from credentialing.models import CredentialStatus
from credentialing.rules import credential_transition
from directory.models import Location, Payer
from tests.factories import (
    TEST_DATA,
    CertificationFactory,
    LicenseFactory,
    listed_practitioner,
    restore_vocabulary,
    today,
)

pytestmark = pytest.mark.django_db


def test_every_model_has_a_working_changelist_and_add_page(superuser_client):
    practitioner = listed_practitioner()
    CertificationFactory(practitioner=practitioner)
    models = [
        "accounts/user",
        "directory/practitioner",
        "directory/location",
        "credentialing/license",
        "credentialing/certification",
        "credentialing/verificationevent",
        "evidence/condition",
        "evidence/intervention",
    ]
    for model in models:
        response = superuser_client.get(f"/admin/{model}/")
        assert response.status_code == 200, model
    for model in [m for m in models if m != "credentialing/verificationevent"]:
        assert superuser_client.get(f"/admin/{model}/add/").status_code == 200, model


def test_practitioner_page_has_location_license_and_certification_inlines(superuser_client):
    practitioner = listed_practitioner()
    url = reverse("admin:directory_practitioner_change", args=[practitioner.pk])
    html = superuser_client.get(url).content.decode()
    assert 'id="locations-group"' in html
    assert 'id="licenses-group"' in html
    assert 'id="certifications-group"' in html


def test_license_search_and_filters(superuser_client):
    wanted = LicenseFactory(number="AC77777", region="CA")
    LicenseFactory(number="NY12345", region="NY", status=CredentialStatus.PENDING)
    url = reverse("admin:credentialing_license_changelist")

    by_number = superuser_client.get(url, {"q": "AC77777"})
    assert list(by_number.context["cl"].result_list) == [wanted]
    by_jurisdiction = superuser_client.get(url, {"jurisdiction": "US-NY"})
    assert [lic.number for lic in by_jurisdiction.context["cl"].result_list] == ["NY12345"]
    by_status = superuser_client.get(url, {"status__exact": "verified"})
    assert list(by_status.context["cl"].result_list) == [wanted]


def test_verification_log_is_read_only_in_the_admin(superuser_client):
    license = LicenseFactory(status=CredentialStatus.PENDING)
    event = credential_transition(
        credential=license, to_status=CredentialStatus.VERIFIED, by=TEST_DATA, source="board"
    )
    assert superuser_client.get("/admin/credentialing/verificationevent/add/").status_code == 403
    delete_url = reverse("admin:credentialing_verificationevent_delete", args=[event.pk])
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 403
    change_url = reverse("admin:credentialing_verificationevent_change", args=[event.pk])
    superuser_client.post(change_url, {"reason": "rewritten"})
    event.refresh_from_db()
    assert event.reason == ""


def test_status_cannot_be_edited_directly_on_a_license(superuser_client):
    license = LicenseFactory(status=CredentialStatus.PENDING)
    url = reverse("admin:credentialing_license_change", args=[license.pk])
    html = superuser_client.get(url).content.decode()
    assert 'name="status"' not in html


def test_staff_edits_to_key_fields_send_a_license_back_to_review(superuser_client):
    license = LicenseFactory(number="AC11111")
    url = reverse("admin:credentialing_license_change", args=[license.pk])
    form = {
        "practitioner": license.practitioner.pk,
        "country": "US",
        "region": "CA",
        "license_type": "L.Ac.",
        "number": "AC22222",
        "issued_on": license.issued_on.isoformat(),
        "expires_on": license.expires_on.isoformat(),
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    response = superuser_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    license.refresh_from_db()
    assert (license.number, license.status) == ("AC22222", CredentialStatus.PENDING)
    event = license.events.get()
    assert (event.from_status, event.to_status) == ("verified", "pending")
    assert "number" in event.reason


def test_a_refused_admin_form_answers_400_with_its_messages_and_saves_nothing(superuser_client):
    practitioner = listed_practitioner()
    url = reverse("admin:directory_practitioner_change", args=[practitioner.pk])
    response = superuser_client.post(url, {"first_name": "Changed", "slug": "not a slug!"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()  # last name, among others
    practitioner.refresh_from_db()
    assert practitioner.first_name != "Changed"
    assert superuser_client.get(url).status_code == 200  # showing the form is no refusal


def test_a_license_added_in_the_admin_enters_review_with_its_event(superuser_client):
    practitioner = listed_practitioner()
    form = {
        "practitioner": practitioner.pk,
        "country": "US",
        "region": "NY",
        "license_type": "L.Ac.",
        "number": "012345",
        "issued_on": (today() - datetime.timedelta(days=365)).isoformat(),
        "expires_on": (today() + datetime.timedelta(days=365)).isoformat(),
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    response = superuser_client.post(reverse("admin:credentialing_license_add"), form)
    assert response.status_code == 302
    license = practitioner.licenses.get(number="012345")
    assert license.status == CredentialStatus.PENDING
    assert [(e.from_status, e.to_status) for e in license.events.all()] == [("", "pending")]


def test_staff_edit_a_clinics_hours_inline_and_its_zone_follows_the_pin(superuser_client):
    location = listed_practitioner().locations.get()
    url = reverse("admin:directory_location_change", args=[location.pk])
    html = superuser_client.get(url).content.decode()
    assert 'id="opening_intervals-group"' in html
    form = {
        "practitioner": location.practitioner.pk,
        "clinic_name": location.clinic_name,
        "address": location.address,
        "city": "New York",
        "region": "NY",
        "postal_code": "10001",
        "country": "US",
        "latitude": "40.7506",
        "longitude": "-73.9972",
        "geocode_precision": "rooftop",
        "hours_note": "Closed on public holidays",
        "opening_intervals-TOTAL_FORMS": "1",
        "opening_intervals-INITIAL_FORMS": "0",
        "opening_intervals-0-weekday": "5",
        "opening_intervals-0-opens": "10:00",
        "opening_intervals-0-closes": "14:00",
    }
    response = superuser_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    location.refresh_from_db()
    assert (location.time_zone, location.hours_note) == (
        "America/New_York",
        "Closed on public holidays",
    )
    assert [str(interval) for interval in location.opening_intervals.all()] == [
        "Saturday 10:00–14:00"
    ]
    # An interval that closes before it opens is refused on the form, and nothing is saved.
    form["opening_intervals-0-closes"] = "09:00"
    form["hours_note"] = "Changed"
    response = superuser_client.post(url, form)
    assert response.status_code == 400  # an inline's refusal is the page's
    assert "The closing time must be later than the opening time." in response.content.decode()
    location.refresh_from_db()
    assert location.hours_note == "Closed on public holidays"


def clinic_form(location: Location, **changes: object) -> dict[str, object]:
    """The admin's change form for `location` as saved, with its week of hours empty."""
    form: dict[str, object] = {
        "practitioner": location.practitioner.pk,
        "clinic_name": location.clinic_name,
        "address": location.address,
        "city": location.city,
        "region": location.region,
        "postal_code": location.postal_code,
        "country": location.country,
        "latitude": str(location.latitude),
        "longitude": str(location.longitude),
        "geocode_precision": location.geocode_precision,
        "hours_note": location.hours_note,
        "payers": [payer.pk for payer in location.payers.all()],
        "opening_intervals-TOTAL_FORMS": "0",
        "opening_intervals-INITIAL_FORMS": "0",
    }
    return form | changes


def saved_clinic(location: Location) -> tuple[object, ...]:
    location.refresh_from_db()
    return (
        location.hours_note,
        sorted(location.payers.values_list("slug", flat=True)),
        [str(interval) for interval in location.opening_intervals.all()],
    )


def test_the_admin_refuses_a_payer_from_another_country_and_changes_nothing(superuser_client):
    restore_vocabulary()
    location = listed_practitioner().locations.get()  # in California
    location.payers.set([Payer.objects.get(slug="cigna-us")])
    before = saved_clinic(location)
    url = reverse("admin:directory_location_change", args=[location.pk])
    bupa, aetna = Payer.objects.get(slug="bupa-gb"), Payer.objects.get(slug="aetna-us")

    refused = superuser_client.post(url, clinic_form(location, payers=[bupa.pk], hours_note="New"))
    assert refused.status_code == 400
    assert "Not available in United States: Bupa (GB)." in refused.content.decode()
    assert saved_clinic(location) == before

    # The clinic moved to London keeps a US payer it had: refused the same way.
    moved = clinic_form(location, city="London", region="ENG", postal_code="SW1A 1AA")
    refused = superuser_client.post(url, moved | {"country": "GB"})
    assert refused.status_code == 400
    assert "Not available in United Kingdom: Cigna (US)." in refused.content.decode()
    assert saved_clinic(location) == before

    accepted = superuser_client.post(url, clinic_form(location, payers=[aetna.pk]))
    assert accepted.status_code == 302, accepted.content.decode()[:3000]
    assert saved_clinic(location) == ("", ["aetna-us"], [])


def test_the_admin_refuses_overlapping_hours_and_changes_nothing(superuser_client):
    location = listed_practitioner().locations.get()
    url = reverse("admin:directory_location_change", args=[location.pk])
    week = {
        "opening_intervals-TOTAL_FORMS": "1",
        "opening_intervals-0-weekday": "0",
        "opening_intervals-0-opens": "09:00",
        "opening_intervals-0-closes": "13:00",
    }
    assert superuser_client.post(url, clinic_form(location, **week)).status_code == 302
    before = saved_clinic(location)
    assert before[2] == ["Monday 09:00–13:00"]
    interval = location.opening_intervals.get()

    overlapping = clinic_form(location, hours_note="Changed") | {
        "opening_intervals-TOTAL_FORMS": "2",
        "opening_intervals-INITIAL_FORMS": "1",
        "opening_intervals-0-id": interval.pk,
        "opening_intervals-0-location": location.pk,
        "opening_intervals-0-weekday": "0",
        "opening_intervals-0-opens": "09:00",
        "opening_intervals-0-closes": "13:00",
        "opening_intervals-1-weekday": "0",
        "opening_intervals-1-opens": "12:00",
        "opening_intervals-1-closes": "18:00",
    }
    refused = superuser_client.post(url, overlapping)
    assert refused.status_code == 400
    assert "Monday: 09:00-13:00 and 12:00-18:00 overlap." in refused.content.decode()
    assert saved_clinic(location) == before


def test_a_clinic_edited_on_the_practitioner_page_is_refused_a_foreign_payer(superuser_client):
    restore_vocabulary()
    practitioner = listed_practitioner()
    location = practitioner.locations.get()
    before = saved_clinic(location)
    url = reverse("admin:directory_practitioner_change", args=[practitioner.pk])
    page = superuser_client.get(url)
    form = {
        name: value
        for name, value in page.context["adminform"].form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    inline = {
        f"locations-0-{name}": value
        for name, value in clinic_form(location).items()
        if not name.startswith("opening_intervals")
    }
    form |= inline | {
        "first_name": practitioner.first_name,
        "last_name": practitioner.last_name,
        "slug": practitioner.slug,
        "locations-TOTAL_FORMS": "1",
        "locations-INITIAL_FORMS": "1",
        "locations-0-id": location.pk,
        "locations-0-payers": [Payer.objects.get(slug="bupa-gb").pk],
        "licenses-TOTAL_FORMS": "0",
        "licenses-INITIAL_FORMS": "0",
        "certifications-TOTAL_FORMS": "0",
        "certifications-INITIAL_FORMS": "0",
    }
    refused = superuser_client.post(url, form)
    assert refused.status_code == 400
    assert "Not available in United States: Bupa (GB)." in refused.content.decode()
    assert saved_clinic(location) == before

    form["locations-0-payers"] = [Payer.objects.get(slug="aetna-us").pk]
    accepted = superuser_client.post(url, form)
    assert accepted.status_code == 302, accepted.content.decode()[:3000]
    assert saved_clinic(location) == ("", ["aetna-us"], [])


def test_staff_add_a_clinic_with_its_hours_and_payers_through_the_service(superuser_client):
    restore_vocabulary()
    practitioner = listed_practitioner()
    template = practitioner.locations.get()
    form = clinic_form(template, clinic_name="Second clinic", hours_note="By appointment") | {
        "payers": [Payer.objects.get(slug="aetna-us").pk],
        "opening_intervals-TOTAL_FORMS": "1",
        "opening_intervals-0-weekday": "2",
        "opening_intervals-0-opens": "09:00",
        "opening_intervals-0-closes": "17:00",
    }
    response = superuser_client.post(reverse("admin:directory_location_add"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = practitioner.locations.get(clinic_name="Second clinic")
    assert saved_clinic(added) == ("By appointment", ["aetna-us"], ["Wednesday 09:00–17:00"])
    assert (added.time_zone, added.geocode_precision) == ("America/Los_Angeles", "rooftop")


def test_staff_may_take_a_retired_payer_off_a_clinic(superuser_client):
    """The dashboard keeps a payer staff retired (practitioners are no longer offered it);
    the admin offers every payer, so there what staff leave selected is what the clinic keeps."""
    restore_vocabulary()
    location = listed_practitioner().locations.get()
    cigna, humana = Payer.objects.get(slug="cigna-us"), Payer.objects.get(slug="humana-us")
    location.payers.set([cigna, humana])
    Payer.objects.filter(pk=humana.pk).update(active=False)
    url = reverse("admin:directory_location_change", args=[location.pk])

    kept = superuser_client.post(url, clinic_form(location, payers=[cigna.pk, humana.pk]))
    assert kept.status_code == 302, kept.content.decode()[:3000]
    assert saved_clinic(location)[1] == ["cigna-us", "humana-us"]

    taken_off = superuser_client.post(url, clinic_form(location, payers=[cigna.pk]))
    assert taken_off.status_code == 302, taken_off.content.decode()[:3000]
    assert saved_clinic(location)[1] == ["cigna-us"]
