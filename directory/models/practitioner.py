"""Practitioners: the profile a patient reads, who may appear in search (through their
clinics' listing rule), and how fresh what they said is."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from credentialing.models import Certification, License
from credentialing.npi import validate_npi
from directory import photos
from directory.languages import LANGUAGES
from directory.models.location import Location

if TYPE_CHECKING:
    from evidence.models import Condition


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NONBINARY = "nonbinary", _("Non-binary")
    ANOTHER = "another", _("Another gender")


# Freshness: a profile's details count as current for this many days after the
# practitioner confirms them, and "accepting new patients" is shown for this many.
DETAILS_CURRENT_DAYS = 180
ACCEPTING_CURRENT_DAYS = 90

# A slug is a profile's public id, and the FHIR ids are built on it: a clinic's is the slug and
# 11 characters, its booking endpoint's 8 more, and FHIR allows 64 (so does the table of
# published versions). With room for the longest suffix that keeps a slug unique (an NPI and
# its hyphen, 11 characters), the name part is cut at 33.
SLUG_BASE_LENGTH = 33


def slug_base(name: str) -> str:
    """The name part of a new profile's slug: "Lin Acu" -> "lin-acu", cut to SLUG_BASE_LENGTH."""
    return slugify(name)[:SLUG_BASE_LENGTH].strip("-") or "practitioner"


def treats(condition: Condition, *, practitioner: OuterRef) -> Exists:
    """EXISTS: the practitioner `practitioner` refers to lists `condition` or a subtype of
    it (see PractitionerQuerySet.treating; the search uses this on its location scan)."""
    return Exists(
        Practitioner.conditions.through.objects.filter(
            practitioner_id=practitioner, condition_id__in=condition.with_subtype_ids()
        )
    )


class PractitionerQuerySet(models.QuerySet):
    def accepting_new_patients(self, on: datetime.date | None = None) -> PractitionerQuerySet:
        """Practitioners who say they accept new patients and confirmed it within the last
        ACCEPTING_CURRENT_DAYS days of `on` (default today). Search filters with this."""
        day = on or timezone.localdate()
        return self.filter(
            accepting_new_patients=True,
            accepting_new_patients_on__gte=day - datetime.timedelta(days=ACCEPTING_CURRENT_DAYS),
        )

    def treating(self, condition: Condition) -> PractitionerQuerySet:
        """Practitioners who treat `condition`: who list it or any of its subtypes (one who
        lists chronic migraine treats migraine). The one definition of it: the search's
        filter, the condition pages and the conditions' counts all use it."""
        return self.filter(treats(condition, practitioner=OuterRef("pk")))

    def listable(self, on: datetime.date | None = None) -> PractitionerQuerySet:
        """Practitioners with at least one publicly listable location (see Location)."""
        locations = Location.objects.listable(on=on).filter(practitioner=OuterRef("pk"))
        return self.filter(Exists(locations))

    def public_profiles(self) -> PractitionerQuerySet:
        """Listable practitioners with what a public profile shows prefetched: listable
        locations, and licenses and certifications in force today."""
        return self.listable()._with_profile(Location.objects.listable())

    def previews(self) -> PractitionerQuerySet:
        """Any practitioner, with what their public profile will show once listed: every
        clinic (as `listable_locations`, the name the profile page reads), and the
        credentials in force. For the owner's and staff's preview, never for the public."""
        return self._with_profile(Location.objects.all())

    def _with_profile(self, locations: models.QuerySet) -> PractitionerQuerySet:
        return self.prefetch_related(
            "conditions",
            "techniques",
            Prefetch(
                "locations",
                queryset=locations.prefetch_related("opening_intervals"),
                to_attr="listable_locations",
            ),
            "listable_locations__payers",
            Prefetch("licenses", queryset=License.objects.in_force(), to_attr="licenses_in_force"),
            Prefetch(
                "certifications",
                queryset=Certification.objects.in_force(),
                to_attr="certifications_in_force",
            ),
        )


class Practitioner(models.Model):
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practitioner",
        help_text=_("The account that controls this profile; empty until it is claimed."),
    )
    slug = models.SlugField(max_length=120, unique=True)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    credentials = models.CharField(
        max_length=80, blank=True, help_text=_("Shown after the name, e.g. L.Ac., Dipl. O.M.")
    )
    npi = models.CharField(
        "NPI",
        max_length=10,
        blank=True,
        default="",
        db_default="",  # also for rows inserted in SQL (bench_search)
        validators=[validate_npi],
        help_text=_("US National Provider Identifier (10 digits), if you have one."),
    )
    npi_deactivated_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="NPPES lists the NPI as deactivated from this day (no later reactivation): "
        "the practitioner is out of search from it. Set and cleared by import_nppes only.",
    )
    npi_deactivation_note = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",  # also for rows inserted in SQL (bench_search)
        editable=False,
        help_text=_("Which NPPES file said so."),
    )
    bio = models.TextField(blank=True)
    # The language the bio is written in, so the profile can mark it up with lang="..."
    # (screen readers then pronounce it right even on a page in another language). Any
    # settings.LANGUAGES code or "" for not said; the dashboard form offers only those.
    bio_language = models.CharField(
        _("language your bio is written in"),
        max_length=16,
        blank=True,
        default="",
        db_default="",  # also for rows inserted in SQL (bench_search)
    )
    # Optional and self-described: patients who ask for a woman or a man practitioner can
    # filter by the category; the profile shows the practitioner's own words when given.
    gender = models.CharField(
        max_length=10, choices=Gender.choices, blank=True, default="", db_default=""
    )
    gender_description = models.CharField(
        "gender, in your own words",
        max_length=60,
        blank=True,
        default="",
        db_default="",
        help_text=_("Optional; shown instead of the category, e.g. “Two-spirit”."),
    )
    pronouns = models.CharField(
        max_length=40, blank=True, default="", db_default="", help_text=_("e.g. she/her, they/them")
    )
    # The photo's key: its files are directory.photos.file_names(photo); empty shows initials.
    photo = models.CharField(max_length=32, blank=True, default="", db_default="", editable=False)
    photo_removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    photo_removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text=_("Who last removed a photo (the practitioner, or staff), and when."),
    )
    practice_started = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Year the practitioner began practising.")
    )
    languages = ArrayField(
        models.CharField(max_length=3, choices=sorted(LANGUAGES.items())),
        default=list,
        blank=True,
    )
    conditions = models.ManyToManyField(
        "evidence.Condition", blank=True, related_name="practitioners"
    )
    techniques = models.ManyToManyField(
        "evidence.Intervention",
        blank=True,
        related_name="practitioners",
        verbose_name=_("techniques"),
    )
    accepting_new_patients = models.BooleanField(default=False)
    accepting_new_patients_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("When the practitioner last set or confirmed the new-patient status."),
    )
    telehealth = models.BooleanField(default=False)
    published = models.BooleanField(default=False)
    details_confirmed_on = models.DateField(
        null=True, blank=True, help_text=_("When the practitioner last confirmed the profile.")
    )
    # Clinics the practitioner may add themselves: settings.CLINICS_PER_PRACTITIONER unless
    # staff gave this practitioner more (or fewer). Staff add clinics in the admin freely.
    clinic_limit = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="How many clinics this practitioner may add from the dashboard or the API; "
        "empty: the site's default (CLINICS_PER_PRACTITIONER).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PractitionerQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            GinIndex(fields=["languages"], name="directory_languages_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(practice_started__gte=1900), name="directory_practice_started_sane"
            ),
            models.CheckConstraint(
                condition=Q(npi="") | Q(npi__regex=r"^[0-9]{10}$"),
                name="directory_practitioner_npi_ten_digits",
            ),
            models.UniqueConstraint(
                fields=["npi"],
                condition=~Q(npi=""),
                name="directory_practitioner_npi_unique",
                violation_error_message=_(
                    "Another profile already has this NPI. If it is yours, claim that "
                    "profile instead."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("directory:practitioner-detail", kwargs={"slug": self.slug})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def years_in_practice(self) -> int | None:
        if self.practice_started is None:
            return None
        return max(timezone.localdate().year - self.practice_started, 0)

    @property
    def gender_shown(self) -> str:
        """The practitioner's own description of their gender, or its category."""
        return self.gender_description or self.get_gender_display()

    @property
    def photo_urls(self) -> list[dict[str, object]]:
        return photos.photo_urls(self.photo)

    @property
    def language_names(self) -> list[str]:
        return [LANGUAGES.get(code, code) for code in self.languages]

    @property
    def details_current_until(self) -> datetime.date | None:
        if self.details_confirmed_on is None:
            return None
        return self.details_confirmed_on + datetime.timedelta(days=DETAILS_CURRENT_DAYS)

    @property
    def accepting_status_current_until(self) -> datetime.date | None:
        if self.accepting_new_patients_on is None:
            return None
        return self.accepting_new_patients_on + datetime.timedelta(days=ACCEPTING_CURRENT_DAYS)

    def details_are_current(self, on: datetime.date | None = None) -> bool:
        until = self.details_current_until
        return until is not None and (on or timezone.localdate()) <= until

    @property
    def accepting_new_patients_shown(self) -> bool | None:
        """The new-patient status as the public may see it: None once it is stale."""
        return self.accepting_new_patients if self.accepting_status_is_current() else None

    def accepting_status_is_current(self, on: datetime.date | None = None) -> bool:
        """Whether the new-patient status (either way) is recent enough to show."""
        until = self.accepting_status_current_until
        return until is not None and (on or timezone.localdate()) <= until
