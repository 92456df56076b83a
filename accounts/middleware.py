from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from common.languages import page_in
from credentialing.access import is_reviewer

STAFF_NEXT = "meridian_staff_next"


class StaffTOTPRequiredMiddleware:
    """A staff account reaches the admin and the review queue only once it has an
    authenticator app; until then those pages send it to set one up. Non-staff users
    pass through: the admin and the queue refuse them on their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and request.path.startswith((reverse("admin:index"), reverse("review:queue")))
            and not is_reviewer(user)
        ):
            messages.warning(
                request,
                gettext(
                    "Staff pages need two-factor authentication. Add an authenticator app "
                    "first; then we take you back to the page you asked for."
                ),
            )
            # Kept in the session, not the URL: allauth's TOTP form, its re-authentication
            # and the recovery codes page each drop a query string.
            if request.method == "GET":
                request.session[STAFF_NEXT] = request.get_full_path()
            return redirect("mfa_activate_totp")
        if (
            user.is_authenticated
            and user.is_staff
            and request.session.get(STAFF_NEXT) == request.get_full_path()
        ):
            del request.session[STAFF_NEXT]  # arrived
        return self.get_response(request)


def staff_next(request: HttpRequest) -> str:
    """The staff page a new reviewer asked for before setting up TOTP, if still safe."""
    url = request.session.get(STAFF_NEXT, "") if hasattr(request, "session") else ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return ""


class RememberLanguageMiddleware:
    """Keep the language of the pages a signed-in person uses on their account, for the
    emails sent to them later (reminders, decisions). Only pages count: the API and FHIR
    answer in whatever Accept-Language asks, which says nothing about a person's choice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        language = translation.get_language()
        if (
            request.method == "GET"
            and response.status_code == 200
            and user is not None
            and user.is_authenticated
            and user.language != language
            and page_in(request.get_full_path(), language) is not None
        ):
            get_user_model().objects.filter(pk=user.pk).update(language=language)
        return response
