from __future__ import annotations

import pytest

from evidence.models import Claim, Study
from evidence.services import evidence_additions_load, evidence_seed_load


@pytest.fixture
def seeded(db):
    """The starter content, as load_demo loads it."""
    evidence_seed_load()


@pytest.fixture(scope="module")
def seeded_library(django_db_setup, django_db_blocker):
    """The starter content committed once for a module whose tests only read it (each test
    still runs in its own rolled-back transaction), and removed after the module."""
    with django_db_blocker.unblock():
        evidence_seed_load()
    yield
    with django_db_blocker.unblock():
        Claim.objects.all().delete()
        Study.objects.all().delete()


@pytest.fixture
def library(db):
    """The whole library as load_demo loads it: the starter content and the additions."""
    evidence_seed_load()
    evidence_additions_load()


@pytest.fixture(scope="module")
def whole_library(django_db_setup, django_db_blocker):
    """The whole library committed once for a module whose tests only read it."""
    with django_db_blocker.unblock():
        evidence_seed_load()
        evidence_additions_load()
    yield
    with django_db_blocker.unblock():
        Claim.objects.all().delete()
        Study.objects.all().delete()
