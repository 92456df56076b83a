"""/api/v1/me/: a practitioner's own profile, clinics and credentials, for session or
token clients. The same access helpers and services as the dashboard pages; anything
invalid is a 400 in the shared error shape and changes nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import access
from accounts.serializers import (
    MyCertificationSerializer,
    MyLicenseSerializer,
    MyLocationSerializer,
    MyPhotoSerializer,
    MyProfileSerializer,
)
from common.api import StrictMultiPartParser, error_response
from common.ratelimit import ClinicThrottle, UploadThrottle
from credentialing import services as credentialing_services
from credentialing.models import CREDENTIAL_KINDS, Certification, License
from directory import photos, services
from directory.models import Location

ERRORS = {
    400: error_response("Invalid input; nothing was changed"),
    401: error_response("Not signed in (send a session cookie or `Authorization: Token …`)"),
    404: error_response("No such object among your own, or you have no profile yet"),
}


def apply(instance: Any, data: dict[str, Any]) -> None:
    """Copy validated input onto the instance; a jurisdiction sets country and region."""
    for name, value in data.items():
        if name == "jurisdiction":
            instance.country, instance.region = value
        else:
            setattr(instance, name, value)


class MeView(GenericAPIView):
    permission_classes = [IsAuthenticated]
    pagination_class = None


@extend_schema_view(
    get=extend_schema(summary="Your profile", responses={200: MyProfileSerializer, **ERRORS}),
    patch=extend_schema(
        summary="Update your profile",
        description="Saving confirms the profile (and the new-patient status) as current "
        "today. Statuses and dates of confirmation are read-only. A new photo is sent alone "
        "as multipart/form-data (it does not confirm the profile); `photo: null` in JSON "
        "removes it.",
        request={
            "application/json": MyProfileSerializer,
            "multipart/form-data": MyPhotoSerializer,
        },
        responses={200: MyProfileSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Stop accepting new patients",
                value={"accepting_new_patients": False},
                request_only=True,
            )
        ],
    ),
)
class MyProfile(MeView):
    serializer_class = MyProfileSerializer
    # multipart/form-data carries a photo, alone; JSON everything else (null: no photo).
    parser_classes = [JSONParser, StrictMultiPartParser]
    throttle_classes = [UploadThrottle]

    def get(self, request: Request) -> Response:
        return Response(self.get_serializer(access.own_practitioner(request)).data)

    def patch(self, request: Request) -> Response:
        practitioner = access.own_practitioner(request)
        if request.content_type.startswith("multipart/"):
            upload = MyPhotoSerializer(data=request.data)
            upload.is_valid(raise_exception=True)
            photos.practitioner_photo_set(
                practitioner=practitioner, photo=upload.validated_data["photo"]
            )
            return Response(self.get_serializer(practitioner).data)
        serializer = self.get_serializer(practitioner, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        conditions, techniques = data.pop("conditions", None), data.pop("techniques", None)
        remove_photo = "photo" in data  # only null gets here: JSON carries no file
        data.pop("photo", None)
        apply(practitioner, data)
        with transaction.atomic():
            services.practitioner_update(
                practitioner=practitioner, conditions=conditions, techniques=techniques
            )
            if remove_photo:
                photos.practitioner_photo_remove(practitioner=practitioner, by=request.user)
        return Response(self.get_serializer(practitioner).data)


@extend_schema_view(
    get=extend_schema(summary="Your clinics", responses={200: MyLocationSerializer(many=True)}),
    post=extend_schema(
        summary="Add a clinic",
        description="Coordinates you give are kept as an exact pin; without them the clinic "
        "is placed from its address.",
        responses={201: MyLocationSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "A clinic in San Francisco",
                value={
                    "clinic_name": "Mission Acupuncture",
                    "address": "1 Market St",
                    "city": "San Francisco",
                    "jurisdiction": "US-CA",
                    "postal_code": "94105",
                    "hours": [
                        {"day": "mon", "opens": "09:00", "closes": "13:00"},
                        {"day": "mon", "opens": "14:00", "closes": "18:00"},
                        {"day": "thu", "opens": "12:00", "closes": "20:00"},
                        {"day": "sat", "opens": "10:00", "closes": "14:00"},
                    ],
                    "hours_note": "Closed on public holidays",
                },
                request_only=True,
            )
        ],
    ),
)
class MyLocations(MeView):
    serializer_class = MyLocationSerializer
    throttle_classes = [ClinicThrottle]
    queryset = Location.objects.none()  # for the schema only; access.* fetches objects

    def get(self, request: Request) -> Response:
        locations = (
            access.own_practitioner(request)
            .locations.order_by("clinic_name", "pk")
            .prefetch_related("opening_intervals")
        )
        return Response(self.get_serializer(locations, many=True).data)

    def post(self, request: Request) -> Response:
        location = Location(practitioner=access.own_practitioner(request))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        opening_hours = data.pop("opening_intervals_list", None)
        payers = data.pop("payers", None)
        apply(location, data)
        services.location_save(location=location, opening_hours=opening_hours, payers=payers)
        return Response(self.get_serializer(location).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        summary="One of your clinics", responses={200: MyLocationSerializer, **ERRORS}
    ),
    patch=extend_schema(summary="Update a clinic", responses={200: MyLocationSerializer, **ERRORS}),
    delete=extend_schema(summary="Remove a clinic", responses={204: None, **ERRORS}),
)
class MyLocation(MeView):
    serializer_class = MyLocationSerializer
    queryset = Location.objects.none()

    def location(self, request: Request, pk: int) -> Location:
        return access.location_for_user(request, access.own_practitioner(request).slug, pk)

    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(self.location(request, pk)).data)

    def patch(self, request: Request, pk: int) -> Response:
        location = self.location(request, pk)
        serializer = self.get_serializer(location, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        opening_hours = data.pop("opening_intervals_list", None)
        payers = data.pop("payers", None)
        apply(location, data)
        services.location_save(location=location, opening_hours=opening_hours, payers=payers)
        return Response(self.get_serializer(location).data)

    def delete(self, request: Request, pk: int) -> Response:
        services.location_delete(location=self.location(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyCredentials(MeView):
    """List or add licenses (or certifications). A new one is pending until staff verify it."""

    kind: str
    parser_classes = [JSONParser, StrictMultiPartParser, FormParser]
    throttle_classes = [UploadThrottle]

    def get(self, request: Request) -> Response:
        practitioner = access.own_practitioner(request)
        credentials = getattr(practitioner, self.kind).order_by("created_at", "pk")
        return Response(self.get_serializer(credentials, many=True).data)

    def post(self, request: Request) -> Response:
        practitioner = access.own_practitioner(request)
        credential = CREDENTIAL_KINDS[self.kind](practitioner=practitioner)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        apply(credential, serializer.validated_data)
        credentialing_services.credential_save(credential=credential, by=request.user)
        return Response(self.get_serializer(credential).data, status=status.HTTP_201_CREATED)


class MyCredential(MeView):
    """Read or change one credential. Changing its jurisdiction, type, number, dates or
    document sends it back to pending review."""

    kind: str
    parser_classes = [JSONParser, StrictMultiPartParser, FormParser]
    throttle_classes = [UploadThrottle]

    def credential(self, request: Request, public_id: str) -> Any:
        slug = access.own_practitioner(request).slug
        return access.credential_for_user(request, slug, self.kind, public_id)

    def get(self, request: Request, public_id: str) -> Response:
        return Response(self.get_serializer(self.credential(request, public_id)).data)

    def patch(self, request: Request, public_id: str) -> Response:
        credential = self.credential(request, public_id)
        serializer = self.get_serializer(credential, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        apply(credential, serializer.validated_data)
        credentialing_services.credential_save(credential=credential, by=request.user)
        return Response(self.get_serializer(credential).data)


def credential_schema(noun: str, serializer: type) -> dict[str, Any]:
    """The OpenAPI description shared by the license and certification endpoints."""
    body = {"multipart/form-data": serializer, "application/json": serializer}
    return {
        "list": extend_schema_view(
            get=extend_schema(summary=f"Your {noun}s", responses={200: serializer(many=True)}),
            post=extend_schema(
                summary=f"Add a {noun}", request=body, responses={201: serializer, **ERRORS}
            ),
        ),
        "detail": extend_schema_view(
            get=extend_schema(
                summary=f"One of your {noun}s", responses={200: serializer, **ERRORS}
            ),
            patch=extend_schema(
                summary=f"Update a {noun}",
                request=body,
                responses={200: serializer, **ERRORS},
            ),
        ),
    }


LICENSE_SCHEMA = credential_schema("license", MyLicenseSerializer)
CERTIFICATION_SCHEMA = credential_schema("certification", MyCertificationSerializer)


@LICENSE_SCHEMA["list"]
class MyLicenses(MyCredentials):
    queryset = License.objects.none()
    kind = "licenses"
    serializer_class = MyLicenseSerializer


@LICENSE_SCHEMA["detail"]
class MyLicense(MyCredential):
    queryset = License.objects.none()
    kind = "licenses"
    serializer_class = MyLicenseSerializer


@CERTIFICATION_SCHEMA["list"]
class MyCertifications(MyCredentials):
    queryset = Certification.objects.none()
    kind = "certifications"
    serializer_class = MyCertificationSerializer


@CERTIFICATION_SCHEMA["detail"]
class MyCertification(MyCredential):
    queryset = Certification.objects.none()
    kind = "certifications"
    serializer_class = MyCertificationSerializer
