from __future__ import annotations

import datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api import StrictTypesMixin
from credentialing.models import Certification, License
from directory import hours
from directory.models import ACCESS_FIELDS, FEE_FIELDS, Location, Payer, Practitioner


class PayerSerializer(serializers.ModelSerializer):
    """A payer as the API shows it. `name` and `coverage_note` are the page's words, in the
    language the request asked for (Accept-Language), like the profile page; `slug` is the
    stable key to match on."""

    name = serializers.CharField(source="shown_name", read_only=True)
    coverage_note = serializers.CharField(source="shown_coverage_note", read_only=True)

    class Meta:
        model = Payer
        fields = ["slug", "name", "kind", "country", "coverage_note", "source_title", "source_url"]


HOURS_HELP = (
    "The clinic's week: one item per interval, in its local time (`time_zone`); a day "
    "with no item is closed. An empty list means no hours given. Writing it replaces the "
    "whole week."
)


HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
HHMM_MESSAGE = "Write the time as HH:MM on the 24-hour clock, 00:00 to 23:59."


class OpeningIntervalSerializer(StrictTypesMixin, serializers.Serializer):
    """One interval of opening hours: {"day": "mon", "opens": "09:00", "closes": "13:00"}."""

    day = serializers.ChoiceField(choices=hours.DAY_CODES, help_text="mon … sun")
    # A pattern, not OpenAPI's format "time" (RFC 3339's full time, seconds and offset).
    opens = serializers.RegexField(
        HHMM, help_text="HH:MM, 24-hour clock", error_messages={"invalid": HHMM_MESSAGE}
    )
    closes = serializers.RegexField(
        HHMM,
        help_text="HH:MM, later than `opens` (an interval ends on the day it starts).",
        error_messages={"invalid": HHMM_MESSAGE},
    )

    def to_representation(self, interval: hours.Interval) -> dict:
        return {
            "day": hours.DAY_CODES[interval.weekday],
            "opens": f"{interval.opens:%H:%M}",
            "closes": f"{interval.closes:%H:%M}",
        }

    def validate(self, data: dict) -> hours.Interval:
        # A PATCH makes every field optional, but an interval is whole or nothing.
        missing = [name for name in ("day", "opens", "closes") if name not in data]
        if missing:
            raise serializers.ValidationError(
                {name: ["This field is required."] for name in missing}
            )
        opens, closes = (datetime.time.fromisoformat(data[name]) for name in ("opens", "closes"))
        if closes <= opens:
            raise serializers.ValidationError(
                {"closes": ["Must be later than `opens`, on the same day."]}
            )
        return hours.Interval(hours.DAY_CODES.index(data["day"]), opens, closes)


class OpenStatusSerializer(serializers.Serializer):
    open_now = serializers.BooleanField()
    text = serializers.CharField(help_text="e.g. “Open now · closes 18:00”, “Opens Tuesday 09:00”")


class LocationSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(read_only=True)
    payers = PayerSerializer(
        source="payers_shown",
        many=True,
        read_only=True,
        help_text="Insurance and payment the clinic accepts; `slug` is the search's "
        "`insurance` value. A coverage note, where given, says what the payer covers.",
    )
    geocode_precision = serializers.CharField(read_only=True)
    currency = serializers.CharField(
        source="fee_currency", read_only=True, help_text="ISO 4217 code of the prices."
    )
    hours = OpeningIntervalSerializer(
        source="opening_intervals_list", many=True, read_only=True, help_text=HOURS_HELP
    )
    open_status = OpenStatusSerializer(
        allow_null=True,
        read_only=True,
        help_text="Open or closed at the time of the response, on the clinic's clock; null "
        "without hours.",
    )

    class Meta:
        model = Location
        fields = [
            "clinic_name",
            "address",
            "city",
            "region",
            "postal_code",
            "country",
            "jurisdiction",
            "latitude",
            "longitude",
            "geocode_precision",
            "phone",
            "website",
            "booking_url",
            "currency",
            *FEE_FIELDS,
            "sliding_scale",
            "free_first_consultation",
            *ACCESS_FIELDS,
            "hours",
            "hours_note",
            "time_zone",
            "open_status",
            "payers",
        ]
        extra_kwargs = {name: {"coerce_to_string": False} for name in FEE_FIELDS}


class LicenseSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(read_only=True)

    class Meta:
        model = License
        fields = [
            "license_type",
            "jurisdiction",
            "number",
            "issued_on",
            "expires_on",
            "status",
            "verified_on",
            "source",
        ]


class CertificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certification
        fields = [
            "body",
            "credential",
            "number",
            "issued_on",
            "expires_on",
            "status",
            "verified_on",
            "source",
        ]


class PhotoFileSerializer(serializers.Serializer):
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


PHOTO_URLS_HELP = (
    "The photo as square WebP files, smallest first (for srcset); empty without a photo."
)


ACCEPTING_HELP = "null when the practitioner has not confirmed it in the last 90 days."


class PractitionerDetailSerializer(serializers.ModelSerializer):
    """A public profile: only listable locations and credentials in force."""

    accepting_new_patients = serializers.BooleanField(
        source="accepting_new_patients_shown", allow_null=True, help_text=ACCEPTING_HELP
    )
    name = serializers.CharField(source="full_name")
    url = serializers.CharField(source="get_absolute_url")
    years_in_practice = serializers.IntegerField(allow_null=True)
    conditions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    techniques = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    locations = LocationSerializer(source="listable_locations", many=True)
    licenses = LicenseSerializer(source="licenses_in_force", many=True)
    certifications = CertificationSerializer(source="certifications_in_force", many=True)
    photo_urls = PhotoFileSerializer(many=True, read_only=True, help_text=PHOTO_URLS_HELP)

    class Meta:
        model = Practitioner
        fields = [
            "slug",
            "name",
            "credentials",
            "npi",
            "url",
            "bio",
            "years_in_practice",
            "gender",
            "gender_description",
            "pronouns",
            "languages",
            "conditions",
            "techniques",
            "accepting_new_patients",
            "accepting_new_patients_on",
            "details_confirmed_on",
            "telehealth",
            "locations",
            "licenses",
            "certifications",
            "photo_urls",
        ]


class PlaceSerializer(serializers.Serializer):
    label = serializers.CharField()
    kind = serializers.CharField()
    country = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()


class PlaceQuerySerializer(serializers.Serializer):
    """What /api/v1/places/ accepts: what the patient has typed so far."""

    q = serializers.CharField(
        max_length=100,
        error_messages={
            "required": "Type at least one character.",
            "blank": "Type at least one character.",
            "max_length": "Use at most 100 characters.",
        },
    )


class PlaceListSerializer(serializers.Serializer):
    results = PlaceSerializer(many=True)


class PlaceChoiceSerializer(serializers.Serializer):
    label = serializers.CharField(
        help_text="What to send as `near` to search there instead: it resolves to this place."
    )
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    precision = serializers.CharField()


class OriginSerializer(serializers.Serializer):
    """The place the search chose for `near`, and the others it may have meant."""

    label = serializers.CharField(
        help_text="The place searched from: “97205 Portland, OR”, “Springfield, MO”; typed "
        "coordinates are named by the nearest town."
    )
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    precision = serializers.ChoiceField(
        choices=["rooftop", "street", "postal", "city"],
        help_text="How closely the point places what was typed: `rooftop` (the building, "
        "or typed coordinates), `street`, `postal` (the centre of a ZIP code or postcode), "
        "`city` (the centre of a town).",
    )
    note = serializers.CharField(
        help_text="How the place was reached, when it matters: “we place street addresses "
        "by their ZIP code”. Empty otherwise."
    )
    alternatives = PlaceChoiceSerializer(
        many=True,
        help_text="Other places that match `near` about as well (“Springfield”: MA, IL, "
        "...), at most 4, best first. Empty when the place is clear.",
    )


class CoveringLicenseSerializer(serializers.Serializer):
    license_type = serializers.CharField()
    jurisdiction = serializers.CharField()
    number = serializers.CharField()
    expires_on = serializers.DateField()
    verified_on = serializers.DateField(allow_null=True)
    source = serializers.CharField()


class SearchHitSerializer(serializers.Serializer):
    """One practitioner, at their nearest matching location."""

    slug = serializers.CharField(source="practitioner.slug")
    name = serializers.CharField(source="practitioner.full_name")
    credentials = serializers.CharField(source="practitioner.credentials")
    url = serializers.CharField(source="practitioner.get_absolute_url")
    api_url = serializers.SerializerMethodField()
    distance = serializers.SerializerMethodField(
        help_text="In the response's `unit`; null for a look-up by `npi`."
    )
    distance_km = serializers.FloatField(allow_null=True)
    accepting_new_patients = serializers.BooleanField(
        source="practitioner.accepting_new_patients_shown",
        allow_null=True,
        help_text=ACCEPTING_HELP,
    )
    telehealth = serializers.BooleanField(source="practitioner.telehealth")
    photo_urls = PhotoFileSerializer(
        source="practitioner.photo_urls", many=True, read_only=True, help_text=PHOTO_URLS_HELP
    )
    languages = serializers.ListField(
        child=serializers.CharField(), source="practitioner.languages"
    )
    conditions = serializers.SerializerMethodField(help_text="Condition slugs.")
    license = CoveringLicenseSerializer(
        allow_null=True, help_text="The verified license that covers this location."
    )
    location = LocationSerializer()

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_distance(self, hit) -> float | None:
        distance = hit.distance(self.context["unit"] or "km")
        return round(distance, 2) if distance is not None else None

    def get_conditions(self, hit) -> list[str]:
        return [condition.slug for condition in hit.practitioner.conditions.all()]

    def get_api_url(self, hit) -> str:
        from django.urls import reverse

        return reverse("api-practitioner-detail", kwargs={"slug": hit.practitioner.slug})


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Practitioners found, at most 100.")
    count_is_capped = serializers.BooleanField(help_text="True when more than 100 matched.")
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    page_count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    near = OriginSerializer(allow_null=True, help_text="null for a look-up by `npi`.")
    radius = serializers.FloatField(allow_null=True)
    unit = serializers.ChoiceField(choices=["km", "mi"], allow_null=True)
    results = SearchHitSerializer(many=True)
