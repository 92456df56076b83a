"""Re-verification: a verified credential records when a primary source last confirmed it
(staff's check or a board roster); past REVERIFY_AFTER_DAYS - REVERIFY_WARNING_DAYS it is
due, past REVERIFY_AFTER_DAYS overdue; staff see the due list in the review queue and
confirm again from the credential's page."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from credentialing import monitoring
from credentialing.models import CredentialStatus, License, VerificationEvent
from credentialing.rules import Actor, credential_transition
from tests.factories import (
    CertificationFactory,
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
    reviewer,
    today,
)
from tests.public_record.files import write_generic_roster

pytestmark = pytest.mark.django_db


def confirmed(days_ago: int | None, factory=LicenseFactory, **fields):
    """A verified credential a primary source last confirmed `days_ago` days ago."""
    verified_on = None if days_ago is None else today() - datetime.timedelta(days=days_ago)
    return factory(verified_on=verified_on, **fields)


def test_due_and_overdue_count_from_the_last_confirmation():
    ages = [0, 335, 336, 365, 366, None]
    licenses = {age: confirmed(age) for age in ages}
    confirmed(900, status=CredentialStatus.PENDING)  # not verified: nothing to re-verify
    confirmed(900, expires_on=today() - datetime.timedelta(days=1))  # expired: needs more
    due = set(License.objects.due_for_reverification().values_list("pk", flat=True))
    overdue = set(License.objects.overdue().values_list("pk", flat=True))
    current = set(License.objects.confirmed_within_cycle().values_list("pk", flat=True))
    assert due == {licenses[age].pk for age in (336, 365, 366, None)}
    assert overdue == {licenses[age].pk for age in (366, None)}
    assert current == {licenses[age].pk for age in (0, 335, 336, 365)}


def test_the_due_list_is_capped_longest_unconfirmed_first():
    made = {age: confirmed(age) for age in (None, 500, 420)}
    made |= {age: confirmed(age, CertificationFactory) for age in (380, 340)}
    assert [c.pk for c in monitoring.due_for_reverification(limit=3)] == [
        made[None].pk,
        made[500].pk,
        made[420].pk,
    ]
    assert [c.overdue for c in monitoring.due_for_reverification()] == [True] * 4 + [False]


def test_reverify_by_is_the_end_of_the_cycle_or_the_expiry_if_sooner(settings):
    settings.REVERIFY_AFTER_DAYS = 100
    license = confirmed(10, expires_on=today() + datetime.timedelta(days=200))
    assert license.reverify_by() == today() + datetime.timedelta(days=90)
    license.expires_on = today() + datetime.timedelta(days=50)
    assert license.reverify_by() == license.expires_on
    license.verified_on = None
    assert license.reverify_by() == license.expires_on
    license.expires_on = None
    assert license.reverify_by() is None


def test_the_cycle_and_the_warning_come_from_settings(settings):
    settings.REVERIFY_AFTER_DAYS, settings.REVERIFY_WARNING_DAYS = 90, 10
    fresh, due, overdue = confirmed(80), confirmed(81), confirmed(91)
    assert list(License.objects.due_for_reverification().order_by("pk")) == [due, overdue]
    assert list(License.objects.overdue()) == [overdue]
    tomorrow = today() + datetime.timedelta(days=1)
    assert list(License.objects.due_for_reverification(tomorrow).order_by("pk")) == [
        fresh,
        due,
        overdue,
    ]


def test_the_review_queue_lists_what_is_due_longest_unconfirmed_first(client):
    practitioner = PractitionerFactory(first_name="Mei", last_name="Chen")
    due = confirmed(340, practitioner=practitioner, number="AC00340")
    overdue = confirmed(400, practitioner=practitioner, number="AC00400", region="OR")
    certification = confirmed(370, CertificationFactory, practitioner=practitioner, number="7")
    confirmed(10, practitioner=practitioner, number="AC00010", region="NY")
    client.force_login(reviewer())

    response = client.get("/review/")

    assert [c.pk for c in response.context["due"]] == [overdue.pk, certification.pk, due.pk]
    assert [c.overdue for c in response.context["due"]] == [True, True, False]
    page = response.content.decode()
    section = page[page.index('id="due-title"') : page.index('id="discrepancies-title"')]
    assert 'Due for re-verification <span class="count">(3)</span>' in section
    assert f'href="/review/licenses/{due.public_id}/"' in section
    assert f'href="/review/certifications/{certification.public_id}/"' in section
    assert section.count("overdue</span>") == 2
    assert "AC00010" not in section


def test_staff_confirm_a_verified_license_again_and_it_leaves_the_list(client, mailoutbox):
    license = confirmed(400)
    client.force_login(reviewer())
    checked = today() - datetime.timedelta(days=1)

    response = client.post(
        f"/review/licenses/{license.public_id}/",
        {"decision": "approve", "source": "https://search.dca.ca.gov/", "checked_on": checked},
    )

    assert response.status_code == 302
    license.refresh_from_db()
    assert (license.status, license.verified_on) == (CredentialStatus.VERIFIED, checked)
    event = license.events.get()
    assert (event.from_status, event.to_status, event.checked_on) == (
        "verified",
        "verified",
        checked,
    )
    assert monitoring.due_for_reverification() == []
    history = client.get(f"/review/licenses/{license.public_id}/").content.decode()
    assert "<td>Verified again</td>" in history


def test_the_public_history_says_verified_again(client):
    practitioner = PractitionerFactory()
    LocationFactory(practitioner=practitioner)
    license = confirmed(400, practitioner=practitioner)
    credential_transition(
        credential=license,
        to_status=CredentialStatus.VERIFIED,
        by=Actor.process(f"Licensing board roster of {today():%Y-%m-%d}"),
        source="Licensing board roster",
        checked_on=today(),
    )
    page = client.get(f"/practitioners/{practitioner.slug}/verification/").content.decode()
    status = '<td data-label="Status">Verified again <span class="by">by the system ('
    assert status + "Licensing board roster" in page
    assert "Verified → Verified" not in page


def test_confirming_again_without_a_date_is_refused_and_changes_nothing(client):
    license = confirmed(400)
    client.force_login(reviewer())

    response = client.post(
        f"/review/licenses/{license.public_id}/",
        {"decision": "approve", "source": "https://search.dca.ca.gov/", "checked_on": ""},
    )

    assert response.status_code == 400
    assert "checked_on" in response.context["forms"]["approve"].errors
    license.refresh_from_db()
    assert license.verified_on == today() - datetime.timedelta(days=400)
    assert not VerificationEvent.objects.exists()


def roster_for(tmp_path, license: License, name: str):
    expires = (today() + datetime.timedelta(days=700)).isoformat()
    row = ["US-CA", license.number, "Chen", "Mei", "Active", "2015-03-01", expires, ""]
    return write_generic_roster(tmp_path, [row], name=name)


def import_roster(path, file_date: datetime.date) -> str:
    out = io.StringIO()
    call_command("import_roster", "generic-csv", str(path), file_date=file_date, stdout=out)
    return out.getvalue()


def test_a_roster_confirms_a_verified_license_again_once(tmp_path):
    practitioner = PractitionerFactory(first_name="Mei", last_name="Chen")
    LocationFactory(practitioner=practitioner)
    license = confirmed(400, practitioner=practitioner)
    path = roster_for(tmp_path, license, "roster.csv")
    file_day = today() - datetime.timedelta(days=2)

    assert "confirmed again 1" in import_roster(path, file_day)
    license.refresh_from_db()
    assert license.verified_on == file_day
    assert license.expires_on == today() + datetime.timedelta(days=700)
    event = license.events.get()
    assert (event.from_status, event.to_status, event.checked_on) == (
        "verified",
        "verified",
        file_day,
    )
    assert event.system_actor == f"Licensing board roster of {file_day:%Y-%m-%d}"

    assert "unchanged 1" in import_roster(path, file_day)  # the same file again
    older = roster_for(tmp_path, license, "older.csv")
    assert "unchanged 1" in import_roster(older, file_day - datetime.timedelta(days=90))
    license.refresh_from_db()
    assert license.verified_on == file_day  # never moved back by an older file
    assert license.events.count() == 1
