from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from credentialing.access import is_reviewer


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
                "Staff pages need two-factor authentication. Add an authenticator app first.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
