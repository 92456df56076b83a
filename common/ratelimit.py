"""Abuse limits. Sign-up, log-in and password reset use allauth's own limits
(`ACCOUNT_RATE_LIMITS`); claims, document uploads and the anonymous API use DRF's throttles,
from the API and from plain Django views alike. Both count in the default cache, so with a
shared cache (CACHE_URL=redis://...) every process counts against the same limits.

Every limit answers 429 with Retry-After: pages with templates/429.html, the API with its
usual error shape. Rates come from settings.RATE_LIMITS (built from the table in
common.limits), read on each request, so a test can switch one off without touching
production settings."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.throttling import SimpleRateThrottle

from common import limits

View = Callable[..., HttpResponse]

# allauth's limits that guard each of its pages (see allauth's app_settings.RATE_LIMITS).
ALLAUTH_ACTIONS = {
    "account_signup": ["signup"],
    "account_login": ["login", "login_failed"],
    "mfa_authenticate": ["login_failed"],
    "account_reset_password": ["reset_password"],
    "account_reset_password_from_key": ["reset_password_from_key"],
    "account_change_password": ["change_password"],
    "account_email": ["manage_email", "confirm_email"],
    "account_email_verification_sent": ["confirm_email"],
    "account_confirm_email": ["confirm_email"],
    "account_reauthenticate": ["reauthenticate"],
}


class SettingsRateThrottle(SimpleRateThrottle):
    """A DRF throttle whose rate ("120/minute") is `settings.RATE_LIMITS[scope]`, read on
    every request; an empty rate switches the limit off. Page views hand these throttles a
    Django HttpRequest where DRF's types say Request: they read only `META` and `user`, which
    both have (hence the `arg-type` ignores below)."""

    def get_rate(self) -> str | None:
        return settings.RATE_LIMITS.get(self.scope or "") or None

    def parse_rate(self, rate: str | None) -> tuple[int | None, int | None]:
        """In common.limits' syntax ("10/h", "120/minute", "5/15m")."""
        if rate is None:
            return None, None
        [(requests, seconds)] = limits.parse(rate, allauth=False)
        return requests, seconds


class AnonymousThrottle(SettingsRateThrottle):
    """Anonymous API clients, counted per IP address (see TRUSTED_PROXY_COUNT)."""

    scope = "api_anon"

    def get_cache_key(self, request: HttpRequest, view: object) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        ident = self.get_ident(request)  # type: ignore[arg-type]
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PlacesThrottle(AnonymousThrottle):
    """Place autocomplete asks once per pause in typing, so it has its own, larger limit."""

    scope = "places"


class AccountThrottle(SettingsRateThrottle):
    """Attempts of one kind per account (per IP address for anonymous requests)."""

    writes_only = False  # True: reads (GET, HEAD, OPTIONS) are never counted

    def __init__(self, scope: str | None = None) -> None:
        self.scope = scope or self.scope
        super().__init__()

    def get_cache_key(self, request: HttpRequest, view: object) -> str:
        user = request.user
        if user and user.is_authenticated:
            return self.cache_format % {"scope": self.scope, "ident": user.pk}
        ident = self.get_ident(request)  # type: ignore[arg-type]
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ClaimThrottle(AccountThrottle):
    """Profile claims sent (each names a license number: a guess, when abused)."""

    scope = "claim"


class UploadThrottle(AccountThrottle):
    """Supporting documents sent, from the dashboard or the API: requests without a file
    are not counted."""

    scope = "upload"
    writes_only = True

    def allow_request(self, request: HttpRequest, view: object) -> bool:
        if not request.FILES:
            return True
        return super().allow_request(request, view)  # type: ignore[arg-type]


class ClinicThrottle(AccountThrottle):
    """Clinics added, from the dashboard or the API (reading and editing are not counted):
    with the cap on clinics per practitioner, a profile cannot be flooded with clinics."""

    scope = "clinic"
    writes_only = True

    def allow_request(self, request: HttpRequest, view: object) -> bool:
        if request.method != "POST":
            return True
        return super().allow_request(request, view)  # type: ignore[arg-type]


def rate_limited(
    throttle_class: type[AccountThrottle], *, methods: tuple[str, ...] = ("POST",)
) -> Callable[[View], View]:
    """Limit a page's form submissions with `throttle_class`; over the limit it answers
    the friendly 429 page. Put it under @login_required, so attempts count per account."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if request.method in methods:
                throttle = throttle_class()
                if not throttle.allow_request(request, None):  # type: ignore[arg-type]
                    return too_many_requests(request, retry_after=throttle.wait())
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def too_many_requests(request: HttpRequest, *, retry_after: float | None) -> HttpResponse:
    seconds = max(1, math.ceil(retry_after or 60))
    response = render(request, "429.html", {"retry_after": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def allauth_429(request: HttpRequest) -> HttpResponse:
    """allauth's 429 handler (config.urls.handler429). allauth does not say which of its
    limits was reached, nor when it frees up, so Retry-After is the longest window among
    the limits that guard this page: never too early."""
    match = getattr(request, "resolver_match", None)
    actions = ALLAUTH_ACTIONS.get(match.url_name if match else "", [])
    return too_many_requests(request, retry_after=allauth_window(actions))


def allauth_window(actions: list[str]) -> int:
    """The longest window, in seconds, among allauth's rates for these actions (all of
    allauth's limits when none is known)."""
    from allauth.account import app_settings

    rates = app_settings.RATE_LIMITS
    chosen = [rates.get(action) for action in actions] if actions else list(rates.values())
    windows = [
        seconds for rate in chosen if rate for _, seconds in limits.parse(rate, allauth=True)
    ]
    return max(windows, default=60)
