"""The four personas every permission test uses: the owner of a profile, another
practitioner, a staff reviewer (with TOTP), and an anonymous visitor; and the license an
owner enters, the same on the dashboard and through /api/v1/me/."""

from __future__ import annotations

import pytest

from tests.factories import AccountFactory, days_from_today, owned_practitioner, reviewer


@pytest.fixture
def owner(db):
    return AccountFactory(email="owner@example.com")


@pytest.fixture
def practitioner(owner):
    return owned_practitioner(owner=owner, first_name="Mei", last_name="Chen", slug="mei-chen")


@pytest.fixture
def other(db):
    """Another practitioner, with a profile of their own."""
    account = AccountFactory(email="other@example.com")
    owned_practitioner(owner=account, slug="someone-else")
    return account


@pytest.fixture
def staff(db):
    return reviewer(email="staff@example.com")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def reviewer_client(client, staff):
    client.force_login(staff)
    return client


def on(days: int) -> str:
    """The ISO date `days` from the run's frozen today (negative: before it)."""
    return days_from_today(days).isoformat()


def license_fields() -> dict[str, str]:
    return {
        "jurisdiction": "US-NY",
        "license_type": "L.Ac.",
        "number": "012345",
        "issued_on": on(-6 * 365),
        "expires_on": on(3 * 365),
    }
