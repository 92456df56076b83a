"""Clinics: where a practitioner sees patients, how it is placed on the map, what a visit
costs, and the listing rule that decides whether it appears in search."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import jurisdictions
from credentialing.models import License
from directory import hours as opening_hours
from directory import phones
from directory.expressions import DateMultirangeField, LlToEarth

if TYPE_CHECKING:
    from directory.models.insurance import Payer


class GeocodePrecision(models.TextChoices):
    ROOFTOP = "rooftop", _("Exact address")
    STREET = "street", _("Street")
    POSTAL = "postal", _("Postal code centre")
    CITY = "city", _("City centre")
    NONE = "none", _("Not located")


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
        deactivated in NPPES on `on` (default today), they are not excluded on `on`, and they
        hold a license that is verified, in force on `on` and issued for this location's
        jurisdiction, either its region or its whole country, and (with REVERIFY_ENFORCE)
        confirmed by a primary source within REVERIFY_AFTER_DAYS of `on`.

        The rule in full, the database's part and this one, reads in
        directory/sql/listing_rule.sql."""
        # `listing_days` holds, for each location, the days all but the re-verification
        # clause hold; the database computes it on every write of a location, license,
        # exclusion match or practitioner. The date is compared here, at query time, so a
        # license stops counting the day after it expires, and a deactivated NPI the day it
        # is deactivated.
        day = on or timezone.localdate()
        listable = self.filter(listing_days__covers=day)
        if not settings.REVERIFY_ENFORCE:
            return listable
        return listable.filter(reverified_here(day))


def reverified_here(day: datetime.date) -> Exists:
    """The listing rule's query-time clause, with REVERIFY_ENFORCE: one of the licenses
    covering the location (OuterRef) in force on `day` was confirmed by a primary source
    within the cycle. Checked at query time, like expiry: the other clauses (publication,
    NPI, exclusions) are the practitioner's and already in `listing_days`, whichever license
    covers. The dashboard's checklist (directory/listing.py) evaluates this same clause."""
    confirmed = (
        License.objects.in_force(day)
        .confirmed_within_cycle(day)
        .filter(practitioner=OuterRef("practitioner"), country=OuterRef("country"))
        .filter(Q(region="") | Q(region=OuterRef("region")))
    )
    return Exists(confirmed)


class Location(models.Model):
    practitioner = models.ForeignKey(
        "directory.Practitioner", on_delete=models.CASCADE, related_name="locations"
    )
    clinic_name = models.CharField(max_length=160, blank=True)
    address = models.CharField(max_length=200, blank=True, help_text=_("Street and number"))
    city = models.CharField(max_length=100)
    region = models.CharField(
        max_length=3, blank=True, help_text=_("State, province or nation code, e.g. CA, ON, NSW")
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
        max_length=40, blank=True, help_text=_("Stored in E.164 (+14155550123); shown nationally.")
    )
    website = models.URLField(blank=True)
    booking_url = models.URLField(
        max_length=300,
        blank=True,
        default="",
        db_default="",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Where patients book an appointment online (http or https only)."),
    )
    # What a visit costs, in the clinic's currency (empty: the country's). A range is a
    # minimum and a maximum; a single price leaves the maximum empty.
    currency = models.CharField(max_length=3, blank=True, default="", db_default="")
    first_visit_fee = fee_field(help_text=_("First visit, or the lowest first-visit price."))
    first_visit_fee_max = fee_field(help_text=_("The highest first-visit price, for a range."))
    follow_up_fee = fee_field(help_text=_("Follow-up visit, or the lowest follow-up price."))
    follow_up_fee_max = fee_field(help_text=_("The highest follow-up price, for a range."))
    sliding_scale = models.BooleanField(_("sliding scale"), default=False, db_default=False)
    free_first_consultation = models.BooleanField(
        _("free first consultation"), default=False, db_default=False
    )
    # Getting there and getting in.
    step_free_entrance = models.BooleanField(
        _("step-free entrance"), default=False, db_default=False
    )
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False, db_default=False)
    parking = models.BooleanField(_("parking"), default=False, db_default=False)
    near_public_transport = models.BooleanField(
        _("near public transport"), default=False, db_default=False
    )
    # Opening hours: the weekly intervals are OpeningInterval rows (models/hours.py), in
    # the clinic's own time zone, which follows its coordinates (directory.services).
    hours_note = models.CharField(
        _("note on opening hours"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("Optional, e.g. “By appointment only” or “Closed on public holidays”."),
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="IANA zone of the clinic's hours, found offline from its coordinates.",
    )
    # Insurance and payment the clinic accepts (models/insurance.py).
    payers = models.ManyToManyField(
        "directory.Payer",
        blank=True,
        related_name="locations",
        verbose_name=_("insurance and payment"),
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
                violation_error_message=_(
                    "Give both latitude and longitude for the pin, or neither."
                ),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}_max__isnull": True})
                    | Q(**{f"{name}__lte": models.F(f"{name}_max")}),
                    name=f"directory_location_{name}_range",
                    violation_error_message=_("The highest price cannot be below the lowest."),
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
                errors[name] = [gettext("Give the lowest price too, or only one price.")]
            elif high is not None and high < low:
                errors[f"{name}_max"] = [gettext("The highest price cannot be below the lowest.")]
        if self.currency and self.currency not in jurisdictions.CURRENCY_SYMBOLS:
            errors["currency"] = [
                gettext("Give one of %(currencies)s, or leave it empty for the country's currency.")
                % {"currencies": ", ".join(sorted(jurisdictions.CURRENCY_SYMBOLS))}
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
        labelled = (
            # Translators: a price follows, e.g. "First visit $120-150".
            (gettext("First visit %(price)s"), "first_visit_fee"),
            (gettext("Follow-up %(price)s"), "follow_up_fee"),
        )
        for label, name in labelled:
            low, high = getattr(self, name), getattr(self, f"{name}_max")
            if low is not None:
                price = f"{symbol}{_amount(low)}"
                if high is not None and high != low:
                    price += f"–{_amount(high)}"
                shown.append(label % {"price": price})
        if self.sliding_scale:
            shown.append(gettext("Sliding scale"))
        if self.free_first_consultation:
            shown.append(gettext("Free first consultation"))
        return shown

    @property
    def access(self) -> list[str]:
        """Short labels for what the clinic offers, e.g. ["Step-free entrance", "Parking"]."""
        return [
            str(self._meta.get_field(name).verbose_name).capitalize()
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

    def validate_payers(self, payers: Iterable[Payer]) -> None:
        """A clinic takes only payers that pay in its country (or anywhere)."""
        foreign = [payer for payer in payers if payer.country not in {"", self.country}]
        if foreign:
            names = ", ".join(str(payer) for payer in foreign)
            raise ValidationError(
                {
                    "payers": [
                        gettext("Not available in %(country)s: %(names)s.")
                        % {"country": self.get_country_display(), "names": names}
                    ]
                }
            )

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
