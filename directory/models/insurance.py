"""Insurance and payment: a curated vocabulary of payers (insurers, government programmes,
workers' compensation, auto insurance, health spending accounts) kept by staff in the admin,
and the ones each clinic accepts.

Payers belong to the clinic, not the practitioner: being in a network, or registered with a
programme, is usually the clinic's arrangement, and a practitioner at two clinics may take
different plans at each (the search finds the nearest clinic that takes the plan)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import jurisdictions
from directory import vocabulary

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PayerKind(models.TextChoices):
    # In the order the dashboard and the search list them.
    INSURER = "insurer", _("Health insurance")
    GOVERNMENT = "government", _("Government programmes")
    WORKERS_COMP = "workers_comp", _("Workers' compensation")
    AUTO = "auto", _("Auto insurance (accident benefits, PIP)")
    ACCOUNT = "account", _("Health spending accounts (HSA, FSA)")


class PayerQuerySet(models.QuerySet):
    def active(self) -> PayerQuerySet:
        """Payers offered to practitioners, shown on profiles and used as search filters.
        Staff retire a payer by unticking `active`: clinics keep their choice, hidden."""
        return self.filter(active=True)

    def choices_by_kind(self) -> list[tuple[StrOrPromise, list[tuple[str, str]]]]:
        """These payers as (kind label, [(slug, name), ...]) groups, for a checkbox list or
        a select: grouped by kind, each group in the vocabulary's order."""
        groups: dict[str, list[tuple[str, str]]] = {kind: [] for kind in PayerKind.values}
        for payer in self:
            shown = payer.shown_name
            groups[payer.kind].append(
                (payer.slug, f"{shown} ({payer.country})" if payer.country else shown)
            )
        return [(PayerKind(kind).label, options) for kind, options in groups.items() if options]


class Payer(models.Model):
    slug = models.SlugField(max_length=60, unique=True, help_text="Used in URLs and the API")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=PayerKind.choices)
    country = models.CharField(
        max_length=2,
        blank=True,
        choices=jurisdictions.COUNTRY_CHOICES,
        help_text="Where it pays for care; empty for any country.",
    )
    coverage_note = models.TextField(
        blank=True,
        help_text="Only where the payer's rule is known and stable: what it covers, in "
        "plain words, shown next to it on profiles. Give the source.",
    )
    source_title = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(
        max_length=300, blank=True, validators=[URLValidator(schemes=["https"])]
    )
    active = models.BooleanField(default=True)
    ordering = models.PositiveSmallIntegerField(
        default=100, help_text="Lower comes first within its kind."
    )

    objects = PayerQuerySet.as_manager()

    class Meta:
        ordering = ["ordering", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(coverage_note="") | (~Q(source_url="") & ~Q(source_title="")),
                name="directory_payer_note_has_source",
                violation_error_message=_("A coverage note needs its source (title and URL)."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})" if self.country else self.name

    @property
    def shown_name(self) -> str:
        """The name in the visitor's language: seeded generic names are in the catalogue
        (directory/vocabulary.py); brands and names staff typed are shown as written."""
        return gettext(self.name) if self.name in vocabulary.NAMES else self.name

    @property
    def shown_coverage_note(self) -> str:
        """The coverage note in the visitor's language where the catalogue has it."""
        note = self.coverage_note
        return gettext(note) if note in vocabulary.COVERAGE_NOTES else note
