"""Emails to account holders, sent only once the transaction that caused them commits."""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def in_language_of(recipient: Any) -> AbstractContextManager[None]:
    """Write an email in the language its recipient last used on the site (their account's
    `language`), whatever language the request that caused it is in; the default if none."""
    return translation.override(getattr(recipient, "language", "") or settings.LANGUAGE_CODE)


def email_context(context: dict[str, Any]) -> dict[str, Any]:
    """What every email template may name: the site (SITE_NAME) and its address."""
    return {"site_name": settings.SITE_NAME, "site": settings.SITE_URL, **context}


def subject_line(subject: str) -> str:
    return f"{settings.SITE_NAME}: {subject}"


def email_after_commit(*, to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    """Render the text template `template` and send it when (and only if) the current
    transaction commits, so a rolled-back decision never emails anyone."""
    body = render_to_string(template, email_context(context))
    transaction.on_commit(
        partial(
            send_mail,
            subject=subject_line(subject),
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[to],
        )
    )
