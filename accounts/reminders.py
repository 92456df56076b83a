"""Reminder emails before something lapses: a credential's expiry (60, 30 and 7 days
ahead), the profile's 180-day confirmation and the 90-day new-patient status (14 and 3
days ahead). Each reminder is recorded in SentReminder, so running this daily, twice,
or after a missed day never sends the same one twice."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.models import ReminderKind, SentReminder
from common.emails import email_context, in_language_of, subject_line
from credentialing.models import Certification, CredentialStatus, License
from directory.models import ACCEPTING_CURRENT_DAYS, DETAILS_CURRENT_DAYS, Practitioner

CREDENTIAL_DAYS = (60, 30, 7)
FRESHNESS_DAYS = (14, 3)


@dataclass(frozen=True)
class Due:
    practitioner: Practitioner
    kind: ReminderKind
    lapses_on: datetime.date
    days_before: int
    subject: Any = None  # the credential, for expiry reminders


def threshold(days_left: int, thresholds: tuple[int, ...]) -> int | None:
    """The tightest reminder point reached `days_left` days before a lapse. After a
    missed run only the most urgent one is sent, not every one skipped."""
    reached = [days for days in thresholds if 0 <= days_left <= days]
    return min(reached) if reached else None


def due_reminders(today: datetime.date) -> Iterator[Due]:
    horizon = today + datetime.timedelta(days=max(CREDENTIAL_DAYS))
    for model in (License, Certification):
        credentials = model.objects.filter(
            status__in=[CredentialStatus.VERIFIED, CredentialStatus.PENDING],
            expires_on__range=(today, horizon),
            practitioner__owner__isnull=False,
        ).select_related("practitioner__owner")
        for credential in credentials:
            days = threshold((credential.expires_on - today).days, CREDENTIAL_DAYS)
            if days is not None:
                yield Due(
                    credential.practitioner,
                    ReminderKind.CREDENTIAL_EXPIRY,
                    credential.expires_on,
                    days,
                    credential,
                )
    window = datetime.timedelta(days=max(FRESHNESS_DAYS))
    owned = Practitioner.objects.filter(owner__isnull=False).select_related("owner")
    for kind, field, current_days, extra in [
        (ReminderKind.DETAILS, "details_confirmed_on", DETAILS_CURRENT_DAYS, {}),
        (
            ReminderKind.ACCEPTING,
            "accepting_new_patients_on",
            ACCEPTING_CURRENT_DAYS,
            {"accepting_new_patients": True},
        ),
    ]:
        oldest = today - datetime.timedelta(days=current_days)
        practitioners = owned.filter(**{f"{field}__range": (oldest, oldest + window)}, **extra)
        for practitioner in practitioners:
            lapses_on = getattr(practitioner, field) + datetime.timedelta(days=current_days)
            days = threshold((lapses_on - today).days, FRESHNESS_DAYS)
            if days is not None:
                yield Due(practitioner, kind, lapses_on, days)


def send_due_reminders(*, today: datetime.date | None = None) -> Counter[str]:
    """Send every reminder due on `today` that was not sent before; count what happened."""
    today = today or timezone.localdate()
    counts: Counter[str] = Counter()
    for due in due_reminders(today):
        # Record and send in one transaction: if the mail server refuses, the record is
        # rolled back and tomorrow's run tries again. A concurrent run waits on the
        # unique row and then finds it already sent.
        with transaction.atomic():
            _, created = SentReminder.objects.get_or_create(
                practitioner=due.practitioner,
                kind=due.kind,
                subject=due.subject.public_id if due.subject else None,
                lapses_on=due.lapses_on,
                days_before=due.days_before,
            )
            if not created:
                counts["already sent"] += 1
                continue
            _send(due, today)
            counts[due.kind] += 1
    return counts


def _send(due: Due, today: datetime.date) -> None:
    owner = due.practitioner.owner
    with in_language_of(owner):
        _send_now(due, today)


def _send_now(due: Due, today: datetime.date) -> None:
    context = {
        "practitioner": due.practitioner,
        "lapses_on": due.lapses_on,
        "days_left": (due.lapses_on - today).days,
        "credential": due.subject,
        "label": due.subject.label if due.subject else "",
        # The dashboard in the recipient's language: /es/dashboard/ for a Spanish account.
        "dashboard": settings.SITE_URL + reverse("accounts:dashboard"),
    }
    subjects = {
        ReminderKind.CREDENTIAL_EXPIRY: gettext("your %(label)s expires on %(day)s")
        % {"label": context["label"], "day": date_format(due.lapses_on)},
        ReminderKind.DETAILS: gettext("please confirm your profile is up to date"),
        ReminderKind.ACCEPTING: gettext("are you still accepting new patients?"),
    }
    send_mail(
        subject=subject_line(subjects[due.kind]),
        message=render_to_string(f"accounts/email/reminder_{due.kind}.txt", email_context(context)),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[due.practitioner.owner.email],
    )
