from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from config import jurisdictions
from credentialing.models import Certification, License
from credentialing.npi import validate_npi
from directory import hours as opening_hours
from directory import phones, photos
from directory.expressions import DateMultirangeField, LlToEarth
from directory.languages import LANGUAGES

if TYPE_CHECKING:
    from evidence.models import Condition


class GeocodePrecision(models.TextChoices):
    ROOFTOP = "rooftop", "Exact address"
    STREET = "street", "Street"
    POSTAL = "postal", "Postal code centre"
    CITY = "city", "City centre"
    NONE = "none", "Not located"


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NONBINARY = "nonbinary", "Non-binary"
    ANOTHER = "another", "Another gender"


# Freshness: a profile's details count as current for this many days after the
# practitioner confirms them, and "accepting new patients" is shown for this many.
DETAILS_CURRENT_DAYS = 180
ACCEPTING_CURRENT_DAYS = 90


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
        return self.listable().prefetch_related(
            "conditions",
            "techniques",
            Prefetch(
                "locations",
                queryset=Location.objects.listable().prefetch_related("opening_intervals"),
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
        help_text="The account that controls this profile; empty until it is claimed.",
    )
    slug = models.SlugField(max_length=120, unique=True)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    credentials = models.CharField(
        max_length=80, blank=True, help_text="Shown after the name, e.g. L.Ac., Dipl. O.M."
    )
    npi = models.CharField(
        "NPI",
        max_length=10,
        blank=True,
        default="",
        db_default="",  # also for rows inserted in SQL (bench_search)
        validators=[validate_npi],
        help_text="US National Provider Identifier (10 digits), if you have one.",
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
        help_text="Which NPPES file said so.",
    )
    bio = models.TextField(blank=True)
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
        help_text="Optional; shown instead of the category, e.g. “Two-spirit”.",
    )
    pronouns = models.CharField(
        max_length=40, blank=True, default="", db_default="", help_text="e.g. she/her, they/them"
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
        help_text="Who last removed a photo (the practitioner, or staff), and when.",
    )
    practice_started = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year the practitioner began practising."
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
        verbose_name="techniques",
    )
    accepting_new_patients = models.BooleanField(default=False)
    accepting_new_patients_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the practitioner last set or confirmed the new-patient status.",
    )
    telehealth = models.BooleanField(default=False)
    published = models.BooleanField(default=False)
    details_confirmed_on = models.DateField(
        null=True, blank=True, help_text="When the practitioner last confirmed the profile."
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
                violation_error_message=(
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


def fee_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        **kwargs,
    )


FEE_FIELDS = ["first_visit_fee", "first_visit_fee_max", "follow_up_fee", "follow_up_fee_max"]
ACCESS_FIELDS = ["step_free_entrance", "accessible_toilet", "parking", "near_public_transport"]


class LocationQuerySet(models.QuerySet):
    def listable(self, on: datetime.date | None = None) -> LocationQuerySet:
        """The listing rule: the practitioner is published, their NPI (if any) is not
        deactivated in NPPES on `on` (default today), and they hold a license that is
        verified, in force on `on` and issued for this location's jurisdiction, either its
        region or its whole country, and (with REVERIFY_ENFORCE) confirmed by a primary
        source within REVERIFY_AFTER_DAYS of `on`."""
        # `listing_days` holds, for each location, the days its practitioner's covering
        # licenses are in force (empty while unpublished); database triggers keep it in
        # step with licenses, publication and NPI deactivation (migrations 0008, 0015, 0016). The
        # date is compared here, at query time, so a license stops counting the day after
        # it expires, and a deactivated NPI the day it is deactivated.
        day = on or timezone.localdate()
        listable = self.filter(listing_days__covers=day)
        if not settings.REVERIFY_ENFORCE:
            return listable
        # Re-verification enforced: one of the covering licenses in force on `day` must also
        # have been confirmed by a primary source within the cycle. Checked here, at query
        # time, like expiry: the other clauses (publication, NPI, exclusions) are the
        # practitioner's and already in `listing_days`, whichever license covers.
        confirmed = (
            License.objects.in_force(day)
            .confirmed_within_cycle(day)
            .filter(practitioner=OuterRef("practitioner"), country=OuterRef("country"))
            .filter(Q(region="") | Q(region=OuterRef("region")))
        )
        return listable.filter(Exists(confirmed))


class Location(models.Model):
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="locations"
    )
    clinic_name = models.CharField(max_length=160, blank=True)
    address = models.CharField(max_length=200, blank=True, help_text="Street and number")
    city = models.CharField(max_length=100)
    region = models.CharField(
        max_length=3, blank=True, help_text="State, province or nation code, e.g. CA, ON, NSW"
    )
    postal_code = models.CharField(max_length=12, blank=True)
    country = models.CharField(max_length=2, choices=jurisdictions.COUNTRY_CHOICES)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    geocode_precision = models.CharField(
        max_length=10, choices=GeocodePrecision.choices, default=GeocodePrecision.NONE
    )
    geocode_retry = models.BooleanField(
        default=False,
        db_default=False,  # also for rows inserted in SQL (bench_search)
        editable=False,
        help_text="The online geocoder failed when this address was placed, so it sits at "
        "the best point the gazetteer gave; `manage.py geocode_clinics` asks again.",
    )
    listing_days = DateMultirangeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Days on which the listing rule holds: the union of the periods the "
        "practitioner's verified licenses for this jurisdiction are in force, empty while "
        "unpublished. Maintained by database triggers; never written by the application.",
    )
    phone = models.CharField(
        max_length=40, blank=True, help_text="Stored in E.164 (+14155550123); shown nationally."
    )
    website = models.URLField(blank=True)
    booking_url = models.URLField(
        max_length=300,
        blank=True,
        default="",
        db_default="",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Where patients book an appointment online (http or https only).",
    )
    # What a visit costs, in the clinic's currency (empty: the country's). A range is a
    # minimum and a maximum; a single price leaves the maximum empty.
    currency = models.CharField(max_length=3, blank=True, default="", db_default="")
    first_visit_fee = fee_field(help_text="First visit, or the lowest first-visit price.")
    first_visit_fee_max = fee_field(help_text="The highest first-visit price, for a range.")
    follow_up_fee = fee_field(help_text="Follow-up visit, or the lowest follow-up price.")
    follow_up_fee_max = fee_field(help_text="The highest follow-up price, for a range.")
    sliding_scale = models.BooleanField("sliding scale", default=False, db_default=False)
    free_first_consultation = models.BooleanField(
        "free first consultation", default=False, db_default=False
    )
    # Getting there and getting in.
    step_free_entrance = models.BooleanField("step-free entrance", default=False, db_default=False)
    accessible_toilet = models.BooleanField("accessible toilet", default=False, db_default=False)
    parking = models.BooleanField("parking", default=False, db_default=False)
    near_public_transport = models.BooleanField(
        "near public transport", default=False, db_default=False
    )
    # Opening hours: the weekly intervals are OpeningInterval rows (directory/hours.py), in
    # the clinic's own time zone, which follows its coordinates (directory.services).
    hours_note = models.CharField(
        "note on opening hours",
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="Optional, e.g. “By appointment only” or “Closed on public holidays”.",
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="IANA zone of the clinic's hours, found offline from its coordinates.",
    )
    # Insurance and payment the clinic accepts (directory/insurance.py).
    payers = models.ManyToManyField(
        "directory.Payer",
        blank=True,
        related_name="locations",
        verbose_name="insurance and payment",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["practitioner", "clinic_name", "city"]
        indexes = [
            GistIndex(LlToEarth("latitude", "longitude"), name="directory_location_earth"),
            models.Index(
                fields=["id"],
                condition=Q(geocode_retry=True),
                name="directory_location_retry",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90),
                name="directory_location_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180),
                name="directory_location_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="directory_location_coordinates_paired",
                violation_error_message="Give both latitude and longitude for the pin, or neither.",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}_max__isnull": True})
                    | Q(**{f"{name}__lte": models.F(f"{name}_max")}),
                    name=f"directory_location_{name}_range",
                    violation_error_message="The highest price cannot be below the lowest.",
                )
                for name in ("first_visit_fee", "follow_up_fee")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clinic_name or self.practitioner}, {self.city}"

    def clean(self) -> None:
        """Checks the place and the prices, and stores the telephone number in E.164."""
        jurisdictions.validate(self.country, self.region, region_required=True)
        errors = {}
        try:
            self.phone = phones.normalise(self.phone, self.country)
        except ValidationError as error:
            errors["phone"] = error.messages
        for name in ("first_visit_fee", "follow_up_fee"):
            low, high = getattr(self, name), getattr(self, f"{name}_max")
            if high is not None and low is None:
                errors[name] = ["Give the lowest price too, or only one price."]
            elif high is not None and high < low:
                errors[f"{name}_max"] = ["The highest price cannot be below the lowest."]
        if self.currency and self.currency not in jurisdictions.CURRENCY_SYMBOLS:
            errors["currency"] = [
                f"Give one of {', '.join(sorted(jurisdictions.CURRENCY_SYMBOLS))}, or leave it "
                "empty for the country's currency."
            ]
        if errors:
            raise ValidationError(errors)

    @property
    def phone_national(self) -> str:
        return phones.national(self.phone, self.country)

    @property
    def phone_dial(self) -> str:
        return phones.dial(self.phone, self.country)

    @property
    def fee_currency(self) -> str:
        """The currency of the clinic's prices: its own, or its country's."""
        return self.currency or jurisdictions.CURRENCIES.get(self.country, "")

    @property
    def costs(self) -> list[str]:
        """What a visit costs, as patients read it, e.g. ["First visit $120-150",
        "Follow-up $90", "Sliding scale"]."""
        symbol = jurisdictions.CURRENCY_SYMBOLS.get(self.fee_currency, "")
        shown = []
        for label, name in (("First visit", "first_visit_fee"), ("Follow-up", "follow_up_fee")):
            low, high = getattr(self, name), getattr(self, f"{name}_max")
            if low is not None:
                price = f"{symbol}{_amount(low)}"
                if high is not None and high != low:
                    price += f"–{_amount(high)}"
                shown.append(f"{label} {price}")
        if self.sliding_scale:
            shown.append("Sliding scale")
        if self.free_first_consultation:
            shown.append("Free first consultation")
        return shown

    @property
    def access(self) -> list[str]:
        """Short labels for what the clinic offers, e.g. ["Step-free entrance", "Parking"]."""
        return [
            self._meta.get_field(name).verbose_name.capitalize()
            for name in ACCESS_FIELDS
            if getattr(self, name)
        ]

    @property
    def opening_intervals_list(self) -> list[opening_hours.Interval]:
        return opening_hours.intervals_of(self) if self.pk else []

    @property
    def open_status(self) -> opening_hours.OpenStatus | None:
        """Open or closed now on the clinic's clock (None without hours or a zone)."""
        return opening_hours.status(self.opening_intervals_list, self.time_zone)

    @property
    def week_hours(self) -> list[opening_hours.DayHours]:
        return opening_hours.week(self.opening_intervals_list)

    @property
    def payers_shown(self) -> list[Payer]:
        """The active payers the clinic accepts, in the vocabulary's order (prefetched)."""
        return [payer for payer in self.payers.all() if payer.active]

    @property
    def jurisdiction(self) -> str:
        return jurisdictions.code(self.country, self.region)

    @property
    def region_name(self) -> str:
        return jurisdictions.REGIONS.get(self.country, {}).get(self.region, self.region)


def _amount(value) -> str:
    """120.00 -> "120", 92.5 -> "92.50"."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


# Named by migrations 0002 and 0006, from before credentials moved to credentialing.
from credentialing.documents import private_storage  # noqa: E402, F401
from directory.insurance import Payer, PayerKind  # noqa: E402, F401
from directory.place_models import GeocodedAddress, Place, PlaceKind  # noqa: E402, F401

OpeningInterval = opening_hours.OpeningInterval
