"""Input and output of the /api/v1/me/ endpoints. They check shapes and types; the
services check every rule, exactly as for the dashboard pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import serializers

from accounts.forms import (
    CERTIFICATION_FIELDS,
    CLINIC_FIELDS,
    LICENSE_FIELDS,
    PROFILE_FIELDS,
    bio_language_choices,
)
from common import jurisdictions
from common.api import StrictTypesMixin
from credentialing.models import Certification, License
from directory import hours, photos
from directory.languages import LANGUAGE_CHOICES
from directory.models import FEE_FIELDS, Location, Payer, Practitioner
from directory.serializers import (
    HOURS_HELP,
    PHOTO_URLS_HELP,
    OpeningIntervalSerializer,
    PhotoFileSerializer,
)
from evidence.models import Condition, Intervention


class JurisdictionField(serializers.CharField):
    """A jurisdiction code such as "US-CA", or "GB" for a whole country."""

    def to_internal_value(self, data: Any) -> tuple[str, str]:
        try:
            return jurisdictions.parse(super().to_internal_value(data))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def to_representation(self, value: Any) -> str:
        return value


class MyProfileSerializer(StrictTypesMixin, serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGE_CHOICES), required=False
    )
    practice_started = serializers.IntegerField(min_value=1900, allow_null=True, required=False)
    bio_language = serializers.ChoiceField(
        choices=[code for code, _name in bio_language_choices()],
        required=False,
        allow_blank=True,
        help_text='A settings.LANGUAGES code ("es", "zh-hans"…) or "" when not said.',
    )
    conditions = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Condition.objects.all(), required=False
    )
    techniques = serializers.SlugRelatedField(
        many=True,
        slug_field="slug",
        # Only techniques practitioners offer, never comparison arms (see ProfileForm).
        queryset=Intervention.objects.techniques(),
        required=False,
    )

    photo = serializers.FileField(
        write_only=True,
        required=False,
        allow_null=True,
        help_text="null removes the photo. A new one is sent as multipart/form-data, alone.",
    )
    photo_urls = PhotoFileSerializer(many=True, read_only=True, help_text=PHOTO_URLS_HELP)

    class Meta:
        model = Practitioner
        fields = [
            "slug",
            "url",
            *PROFILE_FIELDS,
            "accepting_new_patients_on",
            "details_confirmed_on",
            "photo",
            "photo_urls",
        ]
        read_only_fields = ["slug", "accepting_new_patients_on", "details_confirmed_on"]

    def validate_practice_started(self, year: int | None) -> int | None:
        if year is not None and year > timezone.localdate().year:
            raise serializers.ValidationError("The year cannot be in the future.")
        return year


class MyPhotoSerializer(StrictTypesMixin, serializers.Serializer):
    """A new photo, the one field of a multipart PATCH of the profile: form data carries no
    types, so the profile's other fields go as JSON."""

    photo = serializers.FileField(
        help_text="JPEG, PNG or WebP, at most PHOTO_MAX_BYTES (5 MB unless configured); "
        "re-encoded, so none of its metadata is kept."
    )

    def validate_photo(self, file: Any) -> photos.PreparedPhoto:
        return photos.photo_prepare(file)


class OfferedPayersField(serializers.ManyRelatedField):
    """A clinic's payers as its owner chooses them: only payers still offered (active) are
    accepted, so only those are shown, and the JSON a GET answers can be sent back as it is.
    A payer staff retired stays on the clinic unseen, as on the dashboard and profiles, and
    directory.services.location_save keeps it."""

    def get_attribute(self, location: Location) -> list[Payer]:
        return location.payers_shown


class MyLocationSerializer(StrictTypesMixin, serializers.ModelSerializer):
    jurisdiction = JurisdictionField(
        help_text="State, province or nation, e.g. US-CA, CA-ON, GB-ENG; a country code "
        "where there are no regions (NZ, IE)."
    )
    latitude = serializers.FloatField(min_value=-90, max_value=90, allow_null=True, required=False)
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, allow_null=True, required=False
    )
    hours = OpeningIntervalSerializer(
        source="opening_intervals_list",
        many=True,
        required=False,
        max_length=hours.MAX_INTERVALS,
        help_text=HOURS_HELP,
    )
    payers = OfferedPayersField(
        child_relation=serializers.SlugRelatedField(
            slug_field="slug", queryset=Payer.objects.active()
        ),
        required=False,
        help_text="Slugs of the insurers and programmes this clinic accepts, of its country "
        "(the whole list replaces the old one). Payers Meridian no longer offers are not "
        "listed, and a clinic that took one keeps it.",
    )

    class Meta:
        model = Location
        fields = ["id", *CLINIC_FIELDS, "hours", "time_zone", "geocode_precision"]
        # Prices in JSON are numbers (as they are sent), not strings.
        extra_kwargs = {name: {"coerce_to_string": False} for name in FEE_FIELDS}
        read_only_fields = ["id", "time_zone", "geocode_precision"]

    def validate_hours(self, intervals: list[hours.Interval]) -> list[hours.Interval]:
        try:
            hours.check(intervals)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return intervals


class CredentialSerializer(StrictTypesMixin, serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    document = serializers.FileField(
        write_only=True,
        required=False,
        help_text="PDF, PNG or JPEG, at most DOCUMENT_MAX_BYTES (10 MB unless configured); "
        "required for a new credential. Send as multipart/form-data.",
    )
    has_document = serializers.SerializerMethodField()
    expired = serializers.SerializerMethodField()
    decision_reason = serializers.SerializerMethodField(
        help_text="Why it was last rejected or revoked, when it was."
    )

    # What the API shows besides what the holder edits.
    shown = ["status", "verified_on", "source", "expired", "has_document", "decision_reason"]
    common_read_only = ["status", "verified_on", "source"]

    def get_has_document(self, credential: License | Certification) -> bool:
        return bool(credential.document)

    def get_expired(self, credential: License | Certification) -> bool:
        return credential.is_expired()

    def get_decision_reason(self, credential: License | Certification) -> str:
        return credential.decision_reason


class MyLicenseSerializer(CredentialSerializer):
    jurisdiction = JurisdictionField(help_text="e.g. US-CA, or GB for a national register.")

    class Meta:
        model = License
        fields = ["id", *LICENSE_FIELDS, *CredentialSerializer.shown]
        read_only_fields = CredentialSerializer.common_read_only
        # Only a license NPPES reported may lack an expiry; a holder's edit gives one.
        extra_kwargs = {"expires_on": {"required": True, "allow_null": False}}
        validators: list = []  # uniqueness is the service's to check, with its message


class MyCertificationSerializer(CredentialSerializer):
    class Meta:
        model = Certification
        fields = ["id", *CERTIFICATION_FIELDS, *CredentialSerializer.shown]
        read_only_fields = CredentialSerializer.common_read_only
        validators: list = []
