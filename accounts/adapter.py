"""Meridian's allauth adapter: what allauth's flows do at the two points where our rules
differ from its defaults."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from accounts import services
from common.ratelimit import allauth_window, too_many_requests

# Where accounts.signals keeps when this session signed in (seconds since the epoch).
LOGGED_IN_AT = "meridian_logged_in_at"


class AccountAdapter(DefaultAccountAdapter):
    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A fresh sign-in (by password, or by confirming an email address) counts as a
        recent authentication for ACCOUNT_REAUTHENTICATION_TIMEOUT: a new reviewer is not
        asked for the password they typed a minute ago before setting up TOTP."""
        request = allauth_context.request
        session = getattr(request, "session", None)
        logged_in_at = session.get(LOGGED_IN_AT) if session is not None else None
        if (
            isinstance(logged_in_at, int | float)
            and time.time() - logged_in_at < account_settings.REAUTHENTICATION_TIMEOUT
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails name the site by SITE_NAME, not the request's host and port."""
        request = allauth_context.request
        site_url = request.build_absolute_uri("/").rstrip("/") if request else settings.SITE_URL
        super().send_mail(
            template_prefix,
            email,
            {"site_name": settings.SITE_NAME, "site_url": site_url, **context},
        )

    def set_password(self, user: Any, password: str) -> None:
        """Every password change, reset or first set goes through here: whoever had the
        old password may have made an API token, so the account's tokens go with it."""
        super().set_password(user, password)
        services.api_tokens_revoke(user=user)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """allauth refuses a log-in past the failed-attempts limit with a form error (a
        400); it is a rate limit like the others, so it answers 429 with Retry-After."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code != "too_many_login_attempts":
                raise
            response = too_many_requests(request, retry_after=allauth_window(["login_failed"]))
            raise ImmediateHttpResponse(response) from error
