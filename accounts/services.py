"""Writes that concern an account itself (its API tokens); a practitioner's profile and clinics
are written by directory.services."""

from __future__ import annotations

from rest_framework.authtoken.models import Token

from accounts.models import User


def api_tokens_revoke(*, user: User) -> int:
    """Delete the account's API tokens; how many there were."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted
