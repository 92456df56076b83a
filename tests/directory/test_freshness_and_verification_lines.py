"""What patients see of verification and freshness on a public profile."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils.formats import date_format

from credentialing import services
from credentialing.models import VerificationEvent
from directory.models import Practitioner
from tests.factories import (
    CertificationFactory,
    LicenseFactory,
    PractitionerFactory,
    listed_practitioner,
    reviewer,
    submitted,
    today,
)

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" · ", " · ")


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def test_each_credential_says_what_was_verified_with_what_and_until_when(client):
    practitioner = listed_practitioner(slug="mei-chen")
    license = practitioner.licenses.get()
    certification = CertificationFactory(practitioner=practitioner)
    html = client.get("/practitioners/mei-chen/").content.decode()
    page = text(html)
    assert (
        f"Verified with California Acupuncture Board (DCA license search) on "
        f"{date_format(license.verified_on)} · valid until {date_format(license.expires_on)}"
    ) in page
    assert (
        f"Verified with NCCAOM certification verification on "
        f"{date_format(certification.verified_on)} · "
        f"valid until {date_format(certification.expires_on)}"
    ) in page
    assert f'href="/practitioners/mei-chen/verification/#{license.public_id}"' in html


def test_an_unknown_source_url_is_named_by_its_host(client):
    practitioner = listed_practitioner(slug="mei-chen")
    practitioner.licenses.update(source="https://www.board.example/lookup?id=1")
    page = text(client.get("/practitioners/mei-chen/").content.decode())
    assert "Verified with board.example on" in page


def test_the_history_lists_events_without_staff_or_reasons(client):
    practitioner = listed_practitioner(slug="mei-chen")
    license = practitioner.licenses.get()
    staff = reviewer(email="reviewer@example.com")
    VerificationEvent.objects.create(license=license, to_status="pending")
    VerificationEvent.objects.create(
        license=license,
        actor=staff,
        from_status="pending",
        to_status="verified",
        source="https://search.dca.ca.gov/",
        checked_on=days_ago(10),
        reason="Private note: called the board, spoke to J.",
    )
    hidden = LicenseFactory(practitioner=practitioner, region="NY", status="rejected")
    VerificationEvent.objects.create(license=hidden, to_status="rejected", reason="bad scan")

    response = client.get("/practitioners/mei-chen/verification/")

    html = response.content.decode()
    assert "reviewer@example.com" not in html and "Private note" not in html
    assert "bad scan" not in html and hidden.number not in html
    assert [
        (e.from_status, e.to_status, e.source)
        for _, events in response.context["entries"]
        for e in events
    ] == [
        ("", "pending", ""),
        ("pending", "verified", "https://search.dca.ca.gov/"),
    ]
    assert "Pending review → Verified" in text(html)
    assert f'id="{license.public_id}"' in html


def test_the_history_of_an_unlisted_practitioner_is_not_found(client):
    practitioner = listed_practitioner(published=False)
    assert client.get(f"/practitioners/{practitioner.slug}/verification/").status_code == 404


def test_profile_shows_when_details_were_confirmed(client):
    listed_practitioner(slug="fresh", details_confirmed_on=days_ago(179))
    listed_practitioner(slug="stale", details_confirmed_on=days_ago(181))
    listed_practitioner(slug="never", details_confirmed_on=None)
    fresh = text(client.get("/practitioners/fresh/").content.decode())
    assert f"Details confirmed on {date_format(days_ago(179))}" in fresh
    assert "over six months ago" not in fresh
    assert f"Details confirmed on {date_format(days_ago(181))} (over six months ago)" in text(
        client.get("/practitioners/stale/").content.decode()
    )
    assert "Details not yet confirmed by the practitioner" in text(
        client.get("/practitioners/never/").content.decode()
    )


@pytest.mark.parametrize(
    ("accepting", "confirmed_days_ago", "shown"),
    [
        (True, 0, "Accepting new patients as of {date}"),
        (True, 90, "Accepting new patients as of {date}"),
        (True, 91, None),
        (False, 10, "Not accepting new patients as of {date}"),
        (False, 91, None),
        (True, None, None),
    ],
)
def test_new_patient_status_shows_its_date_and_hides_after_90_days(
    client, accepting, confirmed_days_ago, shown
):
    on = None if confirmed_days_ago is None else days_ago(confirmed_days_ago)
    listed_practitioner(slug="p", accepting_new_patients=accepting, accepting_new_patients_on=on)
    page = text(client.get("/practitioners/p/").content.decode())
    if shown:
        assert shown.format(date=date_format(on)) in page
    else:
        assert "ccepting new patients" not in page


def test_accepting_new_patients_queryset_is_what_search_filters_on():
    current = PractitionerFactory(
        accepting_new_patients=True, accepting_new_patients_on=days_ago(90)
    )
    PractitionerFactory(accepting_new_patients=True, accepting_new_patients_on=days_ago(91))
    PractitionerFactory(accepting_new_patients=True, accepting_new_patients_on=None)
    PractitionerFactory(accepting_new_patients=False, accepting_new_patients_on=today())
    assert list(Practitioner.objects.accepting_new_patients()) == [current]
    assert (
        list(Practitioner.objects.accepting_new_patients(on=today() + datetime.timedelta(days=1)))
        == []
    )


def test_every_status_a_credential_has_had_is_explained_by_an_event():
    """The log is complete: replaying a credential's events gives its status."""
    license = submitted(LicenseFactory.build(practitioner=PractitionerFactory()))
    staff = reviewer()
    services.credential_approve(credential=license, by=staff, source="board", checked_on=today())
    license.number = "CHANGED1"
    services.credential_save(credential=license, by=license.practitioner.owner)
    services.credential_reject(credential=license, by=staff, reason="No such number.")
    services.credential_reopen(credential=license, by=staff, reason="Board was down.")
    chain = list(license.events.values_list("from_status", "to_status"))
    assert chain == [
        ("", "pending"),
        ("pending", "verified"),
        ("verified", "pending"),
        ("pending", "rejected"),
        ("rejected", "pending"),
    ]
    license.refresh_from_db()
    assert chain[-1][1] == license.status
