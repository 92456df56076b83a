"""Who may review: the one definition of a reviewer, and the decorator for staff pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def is_reviewer(user: Any) -> bool:
    """Staff who may see other people's profiles and decide on credentials: an active
    staff account with an authenticator app (TOTP) set up. The only definition of it;
    accounts.middleware applies it to the admin and the review queue."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and is_mfa_enabled(user, [Authenticator.Type.TOTP])
    )


def reviewer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For staff pages: anonymous visitors go to log in; signed-in accounts that are not
    reviewers are refused (staff without TOTP never get here: the middleware sends them
    to set it up first)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_reviewer(request.user):
            raise PermissionDenied("Staff with two-factor authentication only.")
        return view(request, *args, **kwargs)

    return wrapper
