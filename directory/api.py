from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import error_response, form_errors
from common.ratelimit import PlacesThrottle
from credentialing.npi import is_valid_npi
from directory import gazetteer
from directory import search as directory_search
from directory.forms import SearchForm
from directory.geocoding import Geocode
from directory.models import Practitioner
from directory.serializers import (
    PlaceListSerializer,
    PlaceQuerySerializer,
    PractitionerDetailSerializer,
    SearchResponseSerializer,
)

SEARCH_PARAMETERS = [
    OpenApiParameter(
        "near",
        str,
        description="A place: a ZIP code or postcode (US, CA, GB, AU, NZ), a city "
        "(“Brooklyn, NY”, “Portland Maine”, “NYC”), a street address, or “lat,lng”. "
        "Required unless `npi` is given. The response's `near` says which place was chosen, "
        "how precisely, and which others the text may have meant (`alternatives`).",
        examples=[],
    ),
    OpenApiParameter(
        "npi",
        str,
        pattern=r"^[0-9]{10}$",
        description="Look up the listed practitioner with this US NPI (10 digits, check "
        "digit valid). Needs no `near` and takes no other parameter; at most one result, "
        "without a distance.",
    ),
    OpenApiParameter(
        "radius",
        float,
        description="Search radius in `unit`; 1–500 km (0.6–310 mi). Default 25 km / 15 mi.",
    ),
    OpenApiParameter(
        "unit",
        str,
        enum=["km", "mi"],
        description="Unit for radius and distances; default by the place's country.",
    ),
    OpenApiParameter("condition", str, description="Condition slug, e.g. `migraine`."),
    OpenApiParameter("technique", str, description="Technique slug, e.g. `electroacupuncture`."),
    OpenApiParameter("language", str, description="Language code, e.g. `es`, `zh`, `yue`."),
    OpenApiParameter(
        "certification",
        str,
        enum=list(directory_search.CERTIFICATIONS),
        description="Holds this certification, verified and in force.",
    ),
    OpenApiParameter("min_years", int, description="At least this many years in practice."),
    OpenApiParameter(
        "gender",
        str,
        enum=["woman", "man", "nonbinary"],
        description="The practitioner's gender, as they describe it (optional on profiles).",
    ),
    OpenApiParameter("accepting_new_patients", bool),
    OpenApiParameter("telehealth", bool),
    OpenApiParameter("sliding_scale", bool, description="At a clinic with sliding-scale fees."),
    OpenApiParameter("step_free", bool, description="At a clinic with a step-free entrance."),
    OpenApiParameter(
        "open_evenings",
        bool,
        description="At a clinic open after 17:00 on some day, on the clinic's own clock.",
    ),
    OpenApiParameter("open_weekends", bool, description="At a clinic open on Saturday or Sunday."),
    OpenApiParameter(
        "open_now",
        bool,
        description="At a clinic open at this moment, on the clinic's own clock (time zone).",
    ),
    OpenApiParameter(
        "insurance",
        str,
        description="At a clinic that accepts this insurer or programme: a payer's slug, "
        "e.g. `medicare-us`, `aetna-us`, `bupa-gb` (each location's `payers` lists them).",
    ),
    OpenApiParameter(
        "q", str, description="Practitioner or clinic name; typo- and accent-tolerant."
    ),
    OpenApiParameter("page", int, description="1-based; results stop at the nearest 100."),
    OpenApiParameter("page_size", int, description="1–50, default 20."),
]


class PractitionerSearch(APIView):
    @extend_schema(
        operation_id="practitioners_search",
        summary="Search practitioners near a place",
        description=(
            "Published practitioners with a verified license in force for the location's "
            "jurisdiction, one result per practitioner at their nearest location, nearest "
            "first (with `q`: best name match first, then nearest). Unknown parameters and "
            "invalid values answer 400 naming the parameter."
        ),
        parameters=SEARCH_PARAMETERS,
        responses={200: SearchResponseSerializer, 400: error_response("Invalid parameters")},
    )
    def get(self, request: Request) -> Response:
        if "npi" in request.query_params:
            return self._look_up_npi(request)
        unknown = sorted(set(request.query_params) - set(SearchForm.base_fields))
        if unknown:
            raise ValidationError({name: [gettext("Unknown parameter.")] for name in unknown})
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        data = form.cleaned_data
        results = directory_search.search(
            form.search_query(), page=data["page"], page_size=data["page_size"]
        )
        place = data["near"]
        body = {
            "count": min(results.total, directory_search.RESULT_LIMIT),
            "count_is_capped": results.total_is_capped,
            "page": results.page,
            "page_size": results.page_size,
            "page_count": results.page_count,
            "next": _page_url(request, results.page + 1) if results.has_next else None,
            "previous": _page_url(request, results.page - 1) if results.page > 1 else None,
            "near": {
                **_place_choice(place),
                "note": place.note,
                "alternatives": [_place_choice(other) for other in place.alternatives],
            },
            "radius": data["radius"],
            "unit": data["unit"],
            "results": results.hits,
        }
        serializer = SearchResponseSerializer(body, context={"unit": data["unit"]})
        return Response(serializer.data)

    def _look_up_npi(self, request: Request) -> Response:
        others = sorted(set(request.query_params) - {"npi"})
        if others:
            raise ValidationError({name: [gettext("Not allowed with `npi`.")] for name in others})
        npi = request.query_params["npi"].strip()
        if not is_valid_npi(npi):
            raise ValidationError(
                {"npi": [gettext("Enter a 10-digit NPI with a valid check digit.")]}
            )
        results = directory_search.find_by_npi(npi)
        body = {
            "count": results.total,
            "count_is_capped": False,
            "page": 1,
            "page_size": 1,
            "page_count": 1,
            "next": None,
            "previous": None,
            "near": None,
            "radius": None,
            "unit": None,
            "results": results.hits,
        }
        return Response(SearchResponseSerializer(body, context={"unit": None}).data)


class PractitionerDetail(APIView):
    @extend_schema(
        operation_id="practitioners_retrieve",
        summary="One practitioner's public profile",
        description="Listable locations and the licenses and certifications in force today. "
        "A practitioner with nothing listable is not found.",
        responses={200: PractitionerDetailSerializer, 404: error_response("Not listed")},
    )
    def get(self, request: Request, slug: str) -> Response:
        practitioner = get_object_or_404(Practitioner.objects.public_profiles(), slug=slug)
        return Response(PractitionerDetailSerializer(practitioner).data)


class PlaceSuggestions(APIView):
    throttle_classes = [PlacesThrottle]

    @extend_schema(
        operation_id="places_suggest",
        summary="Place autocomplete",
        description="Up to 8 places from the offline gazetteer for `q`, ranked as the "
        "search ranks them (so the first is the place a search for `q` would choose): the "
        "name or postal code itself, then names that start with it, then close spellings; "
        "larger places and the directory's country first among equals. A qualifier after "
        "a comma narrows by region or country: `portland, me`.",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True)],
        responses={200: PlaceListSerializer, 400: error_response("Missing or invalid `q`")},
    )
    def get(self, request: Request) -> Response:
        query = PlaceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        places = [
            {
                "label": place.label,
                "kind": place.kind,
                "country": place.country,
                "latitude": place.latitude,
                "longitude": place.longitude,
            }
            for place in gazetteer.suggest(query.validated_data["q"])
        ]
        return Response(PlaceListSerializer({"results": places}).data)


def _place_choice(place: Geocode) -> dict[str, object]:
    return {
        "label": place.label,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "precision": place.precision,
    }


def _page_url(request: Request, page: int) -> str:
    params = request.query_params.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
