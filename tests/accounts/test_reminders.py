"""send_expiry_reminders: safe to run daily from cron, never the same reminder twice."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils.formats import date_format

from accounts.models import ReminderKind, SentReminder
from accounts.reminders import send_due_reminders
from directory.models import Practitioner
from tests.factories import (
    AccountFactory,
    CertificationFactory,
    LicenseFactory,
    PractitionerFactory,
    today,
)
from tests.servers import refusing_port

pytestmark = pytest.mark.django_db


def day(offset: int) -> datetime.date:
    """A day counted from the run's frozen today (tests/conftest.py)."""
    return today() + datetime.timedelta(days=offset)


@pytest.fixture
def owned(db):
    """An owned profile confirmed today, not accepting new patients (so only
    credential reminders are due unless a test says otherwise)."""
    return PractitionerFactory(
        owner=AccountFactory(email="mei@example.com"),
        details_confirmed_on=day(0),
        accepting_new_patients=False,
        accepting_new_patients_on=day(0),
    )


def test_a_license_gets_one_reminder_at_60_30_and_7_days(owned, mailoutbox):
    license = LicenseFactory(practitioner=owned, number="AC12345", expires_on=day(70))
    sent_on = {}
    for offset in range(0, 75):
        before = len(mailoutbox)
        send_due_reminders(today=day(offset))
        send_due_reminders(today=day(offset))  # a second run the same day sends nothing
        if len(mailoutbox) > before:
            sent_on[offset] = [m.subject for m in mailoutbox[before:]]
    expires = date_format(license.expires_on)
    subject = f"Meridian: your L.Ac. license AC12345 (US-CA) expires on {expires}"
    assert sent_on == {10: [subject], 40: [subject], 63: [subject]}
    assert list(
        SentReminder.objects.order_by("days_before").values_list("days_before", flat=True)
    ) == [
        7,
        30,
        60,
    ]
    assert "in 60 days" in mailoutbox[0].body and "/dashboard/" in mailoutbox[0].body


def test_after_missed_runs_only_the_most_urgent_reminder_goes(owned, mailoutbox):
    CertificationFactory(practitioner=owned, expires_on=day(5))
    counts = send_due_reminders(today=day(0))
    assert counts[ReminderKind.CREDENTIAL_EXPIRY] == 1
    assert SentReminder.objects.get().days_before == 7
    assert len(mailoutbox) == 1


def test_a_renewed_credential_is_reminded_again_for_its_new_date(owned, mailoutbox):
    license = LicenseFactory(practitioner=owned, expires_on=day(20))
    send_due_reminders(today=day(0))
    license.expires_on = day(400)
    license.save()
    send_due_reminders(today=day(400 - 60))
    assert [(r.lapses_on, r.days_before) for r in SentReminder.objects.order_by("sent_at")] == [
        (day(20), 30),
        (day(400), 60),
    ]
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda o: LicenseFactory(expires_on=day(30)), id="unclaimed-profile"),
        pytest.param(
            lambda o: LicenseFactory(practitioner=o, expires_on=day(30), status="rejected"),
            id="rejected",
        ),
        pytest.param(
            lambda o: LicenseFactory(practitioner=o, expires_on=day(-1)), id="already-expired"
        ),
        pytest.param(lambda o: LicenseFactory(practitioner=o, expires_on=day(61)), id="too-early"),
    ],
)
def test_no_reminder_when_nobody_can_act_or_nothing_is_due(owned, mailoutbox, make):
    make(owned)
    assert send_due_reminders(today=day(0)).total() == 0
    assert mailoutbox == []


def test_profile_confirmation_and_new_patient_status_reminders(owned, mailoutbox):
    Practitioner.objects.filter(pk=owned.pk).update(
        accepting_new_patients=True, accepting_new_patients_on=day(0)
    )
    # Details lapse after 180 days, the new-patient status after 90; reminders 14 and 3
    # days before each.
    sent = {offset: send_due_reminders(today=day(offset)) for offset in range(0, 200)}
    due = {
        offset: {kind: n for kind, n in counts.items() if kind != "already sent"}
        for offset, counts in sent.items()
        if counts.total() > counts["already sent"]
    }
    assert due == {
        76: {ReminderKind.ACCEPTING: 1},
        87: {ReminderKind.ACCEPTING: 1},
        166: {ReminderKind.DETAILS: 1},
        177: {ReminderKind.DETAILS: 1},
    }
    assert [m.subject for m in mailoutbox] == [
        "Meridian: are you still accepting new patients?",
        "Meridian: are you still accepting new patients?",
        "Meridian: please confirm your profile is up to date",
        "Meridian: please confirm your profile is up to date",
    ]


def test_a_reminder_the_mail_server_refused_is_tried_again_next_run(owned, settings, mailoutbox):
    LicenseFactory(practitioner=owned, expires_on=day(30))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with refusing_port() as closed_port:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
        settings.EMAIL_TIMEOUT = 2
        with pytest.raises(ConnectionRefusedError):
            send_due_reminders(today=day(0))
    assert not SentReminder.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_due_reminders(today=day(0))
    assert SentReminder.objects.count() == 1
    assert len(mailoutbox) == 1


def test_the_command_prints_a_summary(owned, capsys, mailoutbox):
    LicenseFactory(practitioner=owned, expires_on=today() + datetime.timedelta(days=7))
    call_command("send_expiry_reminders")
    call_command("send_expiry_reminders")
    assert capsys.readouterr().out.splitlines() == [
        "Sent 1 reminder (1 credential expiry, 0 profile confirmation, 0 new-patient status); "
        "0 already sent before.",
        "Sent 0 reminders (0 credential expiry, 0 profile confirmation, 0 new-patient status); "
        "1 already sent before.",
    ]
    assert len(mailoutbox) == 1
