"""The dashboard's "your listing" checklist is the listing rule explained: over every way the
rule can fail (the listing rule's own cases) and the ways it holds, the checklist says
"listed" exactly when Location.objects.listable() lists the clinic, and names the clause that
fails."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from credentialing.models import CredentialStatus, VerificationEvent
from credentialing.source_models import ExclusionMatch
from directory.listing import TODO, WAITING, checklist, typical_review_time
from directory.models import Location, Practitioner
from tests.directory.test_listing_rule import FAILURES, make_location, resolve
from tests.factories import LicenseFactory, LocationFactory, PractitionerFactory, today

pytestmark = pytest.mark.django_db

# The step each of the rule's failures shows as not done (the listing rule's case ids).
FAILING_STEP = {
    "unpublished": "published",
    "pending": "verified",
    "rejected": "verified",
    "revoked": "verified",
    "expired-yesterday": "jurisdiction",
    "license-in-another-state": "jurisdiction",
    "national-license-elsewhere": "jurisdiction",
    "not-yet-in-force": "jurisdiction",
}


def listed_by_rule(practitioner: Practitioner) -> bool:
    return Location.objects.filter(practitioner=practitioner).listable().exists()


def states(practitioner: Practitioner) -> dict[str, str]:
    return {step.key: step.state for step in checklist(practitioner).steps}


@pytest.mark.parametrize(("published", "license_fields"), FAILURES)
def test_the_checklist_agrees_with_the_rule_on_every_failure(request, published, license_fields):
    location = make_location(published=published, **resolve(license_fields))
    result = checklist(location.practitioner)
    assert listed_by_rule(location.practitioner) is False
    assert result.listed is False
    case = request.node.callspec.id
    failing = {step.key for step in result.steps if step.rule and not step.done}
    assert FAILING_STEP[case] in failing
    assert result.reason  # the preview says why
    assert result.next_step is not None


def test_a_listed_practitioner_has_every_step_done():
    location = make_location()
    result = checklist(location.practitioner)
    assert listed_by_rule(location.practitioner) is True
    assert result.listed is True
    assert all(step.done for step in result.steps)
    assert result.next_step is None and result.reason == ""
    assert result.listed_clinics == [location]


def test_no_clinic_and_no_license_are_the_first_steps():
    practitioner = PractitionerFactory(published=True)
    result = checklist(practitioner)
    assert result.listed is listed_by_rule(practitioner) is False
    assert states(practitioner)["clinic"] == TODO
    assert states(practitioner)["license"] == TODO
    assert result.next_step.key == "clinic"
    LocationFactory(practitioner=practitioner)
    assert checklist(practitioner).next_step.key == "license"


def test_a_deactivated_npi_or_an_exclusion_bars_the_listing():
    location = make_location()
    practitioner = location.practitioner
    Practitioner.objects.filter(pk=practitioner.pk).update(npi_deactivated_on=today())
    assert listed_by_rule(practitioner) is checklist(practitioner).listed is False
    assert states(practitioner)["barred"] == TODO

    other = make_location().practitioner
    ExclusionMatch.objects.create(
        practitioner=other,
        entry_name="X",
        excluded_on=today(),
        status="excluded",
        delisted_from=today() + datetime.timedelta(days=1),
    )
    assert listed_by_rule(other) is checklist(other).listed is True  # not yet
    tomorrow = today() + datetime.timedelta(days=1)
    assert Location.objects.filter(practitioner=other).listable(on=tomorrow).exists() is False
    assert checklist(other, on=tomorrow).listed is False


@pytest.mark.parametrize(("days", "listed"), [(365, True), (366, False), (None, False)])
def test_with_enforcement_the_checklist_agrees_too(settings, days, listed):
    settings.REVERIFY_ENFORCE = True
    verified_on = None if days is None else today() - datetime.timedelta(days=days)
    location = make_location(verified_on=verified_on)
    assert listed_by_rule(location.practitioner) is listed
    assert checklist(location.practitioner).listed is listed


def test_a_pending_license_shows_when_it_was_submitted_and_the_typical_review_time():
    location = make_location(status=CredentialStatus.PENDING)
    result = checklist(location.practitioner)
    assert states(location.practitioner)["verified"] == WAITING
    assert result.next_step.key == "verified"
    assert result.pending_since is not None
    assert result.typical_review is None  # no decision yet in the last 90 days


def test_typical_review_time_is_the_median_of_recent_decisions():
    # Three licenses decided 1, 2 and 10 days after submission: the median is 2 days.
    submitted_at = timezone.now()
    for days in (1, 2, 10):
        license = LicenseFactory(status=CredentialStatus.PENDING)
        for at, from_status, to_status in [
            (submitted_at, "", CredentialStatus.PENDING),
            (submitted_at + datetime.timedelta(days=days), CredentialStatus.PENDING, "rejected"),
        ]:
            VerificationEvent.objects.create(
                license=license,
                from_status=from_status,
                to_status=to_status,
                created_at=at,
                system_actor="test",
            )
    eleven_days_on = today() + datetime.timedelta(days=11)
    assert typical_review_time(on=eleven_days_on) == datetime.timedelta(days=2)
    # Decisions older than 90 days no longer count.
    assert typical_review_time(on=today() + datetime.timedelta(days=200)) is None
