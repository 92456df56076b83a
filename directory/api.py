from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.generics import RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from config.api import error_response
from directory.models import Practitioner
from directory.serializers import PractitionerDetailSerializer


class PractitionerDetail(RetrieveAPIView):
    serializer_class = PractitionerDetailSerializer

    @extend_schema(
        summary="One practitioner's public profile",
        description="Listable locations and the licenses and certifications in force today. "
        "A practitioner with nothing listable is not found.",
        responses={200: PractitionerDetailSerializer, 404: error_response("Not listed")},
    )
    def get(self, request: Request, slug: str) -> Response:
        practitioner = get_object_or_404(Practitioner.objects.public_profiles(), slug=slug)
        return Response(self.get_serializer(practitioner).data)
