"""When a session signed in, for the adapter's "recently authenticated" check."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.adapter import LOGGED_IN_AT


@receiver(user_logged_in, dispatch_uid="meridian-logged-in-at")
def remember_sign_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Every sign-in (password, email confirmation, password reset) stamps the session."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGGED_IN_AT] = time.time()
