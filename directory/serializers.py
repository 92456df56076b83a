from __future__ import annotations

from rest_framework import serializers

from directory.models import Certification, License, Location, Practitioner


class LocationSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(read_only=True)
    geocode_precision = serializers.CharField(read_only=True)

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
        ]


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


class PractitionerDetailSerializer(serializers.ModelSerializer):
    """A public profile: only listable locations and credentials in force."""

    name = serializers.CharField(source="full_name")
    url = serializers.CharField(source="get_absolute_url")
    years_in_practice = serializers.IntegerField(allow_null=True)
    conditions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    techniques = serializers.SlugRelatedField(
        source="modalities", many=True, read_only=True, slug_field="slug"
    )
    locations = LocationSerializer(source="listable_locations", many=True)
    licenses = LicenseSerializer(source="licenses_in_force", many=True)
    certifications = CertificationSerializer(source="certifications_in_force", many=True)

    class Meta:
        model = Practitioner
        fields = [
            "slug",
            "name",
            "credentials",
            "url",
            "bio",
            "years_in_practice",
            "languages",
            "conditions",
            "techniques",
            "accepting_new_patients",
            "telehealth",
            "locations",
            "licenses",
            "certifications",
        ]
