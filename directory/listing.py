"""The listing rule explained to the practitioner it applies to: the dashboard's "your
listing" checklist and the reason a profile preview gives.

Never a second copy of the rule: each step of the rule is one of the named SQL clauses the
listing itself is computed from (directory/sql/listing_rule.sql: `directory_listing_published`,
`directory_listing_licensed_days`, `directory_listing_barred_days`), and the query-time
re-verification clause is `reverified_here`, the one `Location.objects.listable()` applies.
tests/directory/test_listing_checklist.py checks the two agree over every way the rule fails.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, F, Func, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from credentialing.models import CredentialStatus, License, VerificationEvent
from directory.expressions import DateMultirangeField
from directory.models import Location, Practitioner
from directory.models.location import reverified_here

# How far back the typical review time looks.
REVIEW_TIME_DAYS = 90

DONE, TODO, WAITING = "done", "todo", "waiting"


def published_clause() -> Func:
    """Whether the practitioner chose to be shown (per practitioner)."""
    return Func(F("pk"), function="directory_listing_published", output_field=BooleanField())


def licensed_days_clause() -> Func:
    """The days a verified license is in force for a location's jurisdiction (per location)."""
    return Func(
        F("practitioner_id"),
        F("country"),
        F("region"),
        function="directory_listing_licensed_days",
        output_field=DateMultirangeField(),
    )


def barred_days_clause() -> Func:
    """The days an NPI deactivation or an exclusion takes away (per practitioner)."""
    return Func(
        F("pk"),
        function="directory_listing_barred_days",
        output_field=DateMultirangeField(),
    )


@dataclass
class Step:
    """One step to being listed. `rule` steps are clauses of the listing rule (all done
    means listed); the others help patients find you but do not decide the listing."""

    key: str
    label: str
    state: str
    detail: str = ""
    rule: bool = True

    @property
    def done(self) -> bool:
        return self.state == DONE


@dataclass
class Checklist:
    steps: list[Step]
    pending_since: datetime.datetime | None = None
    typical_review: datetime.timedelta | None = None
    listed_clinics: list[Location] = field(default_factory=list)

    @property
    def listed(self) -> bool:
        return all(step.done for step in self.steps if step.rule)

    @property
    def next_step(self) -> Step | None:
        """The one thing to do next: the first step not done (a wait is not an action, so
        a step waiting for review is skipped while another can be done)."""
        todo = [step for step in self.steps if not step.done]
        actionable = [step for step in todo if step.state == TODO]
        return next(iter(actionable or todo), None)

    @property
    def reason(self) -> str:
        """Why patients cannot see the profile: the first rule step not done."""
        for step in self.steps:
            if step.rule and not step.done:
                return step.detail or step.label
        return ""


def _clinic_rows(practitioner: Practitioner, day: datetime.date) -> list[Location]:
    locations = practitioner.locations.alias(licensed_days=licensed_days_clause()).annotate(
        licensed_here=ExpressionWrapper(Q(licensed_days__covers=day), BooleanField())
    )
    if settings.REVERIFY_ENFORCE:
        locations = locations.annotate(
            reverified=ExpressionWrapper(reverified_here(day), BooleanField())
        )
    return list(locations.order_by("clinic_name", "city", "pk"))


def typical_review_time(on: datetime.date | None = None) -> datetime.timedelta | None:
    """The median time from a license's submission (its last move to pending) to staff's
    decision, over the decisions of the last REVIEW_TIME_DAYS days; None without any."""
    day = on or timezone.localdate()
    since = timezone.make_aware(
        datetime.datetime.combine(day - datetime.timedelta(days=REVIEW_TIME_DAYS), datetime.time())
    )
    submitted = (
        VerificationEvent.objects.filter(
            license=OuterRef("license"),
            to_status=CredentialStatus.PENDING,
            created_at__lte=OuterRef("created_at"),
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    decisions = (
        VerificationEvent.objects.filter(
            license__isnull=False,
            from_status=CredentialStatus.PENDING,
            to_status__in=[CredentialStatus.VERIFIED, CredentialStatus.REJECTED],
            created_at__gte=since,
        )
        .annotate(submitted_at=Subquery(submitted))
        .exclude(submitted_at=None)
        .values_list("created_at", "submitted_at")[:5000]
    )
    waits = [decided - submitted_at for decided, submitted_at in decisions]
    return statistics.median(waits) if waits else None


def checklist(practitioner: Practitioner, on: datetime.date | None = None) -> Checklist:
    """Each step to being visible to patients, with its state, on `on` (default today)."""
    day = on or timezone.localdate()
    clauses = (
        Practitioner.objects.filter(pk=practitioner.pk)
        .alias(barred_days=barred_days_clause())
        .annotate(
            is_published=published_clause(),
            barred=ExpressionWrapper(Q(barred_days__covers=day), BooleanField()),
        )
        .values("is_published", "barred")
        .get()
    )
    clinics = _clinic_rows(practitioner, day)
    licenses = list(practitioner.licenses.all())
    statuses = {license.status for license in licenses}
    covered = [
        clinic
        for clinic in clinics
        if clinic.licensed_here and getattr(clinic, "reverified", True)  # type: ignore[attr-defined]
    ]
    steps = [Step("profile", _("Create your profile"), DONE)]

    placed = [clinic for clinic in clinics if clinic.latitude is not None]
    if not clinics:
        steps.append(Step("clinic", _("Add a clinic"), TODO, _("you have not added a clinic")))
    else:
        steps.append(Step("clinic", _("Add a clinic"), DONE))
    steps.append(
        Step(
            "map",
            _("Place a clinic on the map"),
            DONE if placed else TODO,
            "" if placed else _("patients searching near them find clinics placed on the map"),
            rule=False,
        )
    )

    if licenses:
        steps.append(Step("license", _("Submit a license"), DONE))
    else:
        steps.append(
            Step("license", _("Submit a license"), TODO, _("you have not submitted a license"))
        )

    if CredentialStatus.VERIFIED in statuses:
        steps.append(Step("verified", _("Have a license verified"), DONE))
    elif CredentialStatus.PENDING in statuses:
        steps.append(
            Step(
                "verified",
                _("Have a license verified"),
                WAITING,
                _("your license is waiting for review by Meridian staff"),
            )
        )
    else:
        detail = (
            _("none of your licenses was accepted: submit one again")
            if licenses
            else _("you have not submitted a license")
        )
        steps.append(Step("verified", _("Have a license verified"), TODO, detail))

    if covered:
        steps.append(Step("jurisdiction", _("License in force where your clinic is"), DONE))
    else:
        steps.append(
            Step(
                "jurisdiction",
                _("License in force where your clinic is"),
                WAITING if CredentialStatus.PENDING in statuses else TODO,
                _in_force_detail(clinics, licenses, day),
            )
        )

    if clauses["is_published"]:
        steps.append(Step("published", _("Publish your profile"), DONE))
    else:
        steps.append(
            Step("published", _("Publish your profile"), TODO, _("your profile is not published"))
        )

    if clauses["barred"]:
        steps.append(
            Step(
                "barred",
                _("No exclusion or deactivated NPI"),
                TODO,
                _("an exclusion or a deactivated NPI holds the listing back"),
            )
        )

    result = Checklist(steps=steps, listed_clinics=covered if not clauses["barred"] else [])
    pending = [license for license in licenses if license.status == CredentialStatus.PENDING]
    if pending:
        result.pending_since = (
            VerificationEvent.objects.filter(
                license__in=pending, to_status=CredentialStatus.PENDING
            )
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        ) or min(license.created_at for license in pending)
        result.typical_review = typical_review_time(day)
    return result


def _in_force_detail(clinics: list[Location], licenses: list[License], day: datetime.date) -> str:
    """Which part of "in force for the clinic's jurisdiction" fails, in words."""
    verified = [license for license in licenses if license.status == CredentialStatus.VERIFIED]
    if not clinics:
        return _("no clinic yet for a license to cover")
    if not verified:
        return _("no verified license covers your clinic yet")
    in_force = [
        license
        for license in verified
        if license.expires_on is not None
        and license.expires_on >= day
        and (license.issued_on is None or license.issued_on <= day)
    ]
    if not in_force:
        return _("your verified license is not in force today (expired, or not yet issued)")
    if settings.REVERIFY_ENFORCE and any(getattr(c, "licensed_here", False) for c in clinics):
        return _("your license is due for re-verification by a primary source")
    return _("your verified license is for another state, province or country than your clinic")
