"""Nearby search: listable locations near a point, nearest first, one result per
practitioner (at their nearest location), with filters and an optional name query.

How it stays fast (see ARCHITECTURE.md, "Nearby search"): the GiST index on
ll_to_earth(latitude, longitude) answers both the radius prefilter (`earth_box @>`) and the
nearest-first order (`<->`), so PostgreSQL reads locations in distance order and stops once
a page is full; `earth_distance` rechecks the exact radius. A first query fetches only ids
and distances; a second loads the page's practitioners.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat, Greatest, Round
from django.utils import timezone

from directory.expressions import EarthPoint, Normalize
from directory.models import Certification, License, Location, Practitioner
from evidence.models import Condition, Intervention

DEFAULT_RADIUS_KM = 25.0
MIN_RADIUS_KM = 1.0
MAX_RADIUS_KM = 500.0
RESULT_LIMIT = 200  # a search pages through at most the nearest 200 practitioners
KM_PER_MILE = 1.609344
# Below this word similarity a name does not match the text query at all.
TEXT_MATCH_THRESHOLD = 0.5

# Certification filter values: (body, credential or "" for any credential of that body).
CERTIFICATIONS: dict[str, tuple[str, str, str]] = {
    "nccaom": ("NCCAOM", "", "NCCAOM diplomate (any)"),
    "nccaom-dipl-ac": ("NCCAOM", "Dipl. Ac.", "NCCAOM Diplomate of Acupuncture"),
    "nccaom-dipl-om": ("NCCAOM", "Dipl. O.M.", "NCCAOM Diplomate of Oriental Medicine"),
    "nccaom-dipl-ch": ("NCCAOM", "Dipl. C.H.", "NCCAOM Diplomate of Chinese Herbology"),
}


@dataclass(frozen=True)
class SearchQuery:
    origin: EarthPoint
    radius_km: float = DEFAULT_RADIUS_KM
    condition: Condition | None = None
    technique: Intervention | None = None
    language: str = ""
    accepting_new_patients: bool = False
    telehealth: bool = False
    certification: str = ""
    min_years: int | None = None
    text: str = ""


@dataclass
class Hit:
    practitioner: Practitioner
    location: Location
    distance_km: float
    license: License | None  # the verified license that covers this location

    def distance(self, unit: str) -> float:
        return self.distance_km / KM_PER_MILE if unit == "mi" else self.distance_km


@dataclass
class SearchPage:
    hits: list[Hit]
    page: int
    page_size: int
    total: int  # practitioners found, at most RESULT_LIMIT + 1
    has_next: bool
    page_count: int = field(init=False)

    def __post_init__(self) -> None:
        shown = min(self.total, RESULT_LIMIT)
        self.page_count = max(1, math.ceil(shown / self.page_size))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.page_size + 1

    @property
    def total_is_capped(self) -> bool:
        return self.total > RESULT_LIMIT


def search(query: SearchQuery, *, page: int = 1, page_size: int = 20) -> SearchPage:
    """One page of practitioners matching `query`, nearest first (or, with a text query,
    best match first and nearest among equals)."""
    # One read in rank order serves both the page and the (capped) count: it stops at the
    # radius or after RESULT_LIMIT + 1 practitioners, whichever comes first.
    ranked = nearest_practitioners(query, limit=RESULT_LIMIT + 1)
    end = min(page * page_size, RESULT_LIMIT)
    return SearchPage(
        hits=_load_hits(ranked[(page - 1) * page_size : end]),
        page=page,
        page_size=page_size,
        total=len(ranked),
        has_next=len(ranked) > end and end < RESULT_LIMIT,
    )


def _filtered(query: SearchQuery) -> QuerySet:
    """Listable locations that pass every filter, with their distance from the origin."""
    return (
        Location.objects.listable()
        .filter(_practitioner_filters(query))
        .annotate(distance_m=query.origin.distance())
    )


def matching_locations(query: SearchQuery) -> QuerySet:
    """Matching locations in rank order as (id, practitioner_id, distance_m) rows.

    Without a text query the rows come straight from the GiST index in distance order and
    are NOT cut at the radius: callers stop reading at the first row beyond it, so
    PostgreSQL never collects and sorts everything inside the radius. With a text query
    the box around the radius prefilters, and rows are ranked by relevance, then distance."""
    origin = query.origin
    locations = _filtered(query)
    if query.text:
        metres = query.radius_km * 1000
        locations = (
            locations.filter(origin.within_box(metres), distance_m__lte=metres)
            .annotate(relevance=_text_relevance(query.text))
            .filter(relevance__gte=TEXT_MATCH_THRESHOLD)
            # Equally good matches (to one decimal) are ranked by distance.
            .order_by(Round(F("relevance"), 1).desc(), origin.nearest_first())
        )
    else:
        locations = locations.order_by(origin.nearest_first())
    return locations.values_list("id", "practitioner_id", "distance_m")


def nearest_practitioners(query: SearchQuery, *, limit: int) -> list[tuple[int, float]]:
    """(location id, distance in metres) of the first `limit` practitioners within the
    radius in rank order, each at their best-ranked location. Reads rows in batches and
    stops at the radius or once enough distinct practitioners are seen."""
    metres = query.radius_km * 1000
    locations = matching_locations(query)
    batch = first_batch(limit)
    while True:
        rows = list(locations[:batch])
        seen: set[int] = set()
        ranked = []
        beyond_radius = False
        for location_id, practitioner_id, distance_m in rows:
            if distance_m > metres:
                beyond_radius = True  # rows are in distance order: the rest are too
                break
            if practitioner_id not in seen:
                seen.add(practitioner_id)
                ranked.append((location_id, distance_m))
        if len(ranked) >= limit or beyond_radius or len(rows) < batch:
            return ranked[:limit]
        batch *= 4


def first_batch(limit: int) -> int:
    """Rows to read for `limit` practitioners: most have one clinic, a few have two."""
    return limit + limit // 4 + 2


def nearest_distance_km(query: SearchQuery) -> float | None:
    """Distance to the nearest practitioner matching every filter, looking as far as the
    largest radius allowed; None when there is nobody that close."""
    metres = MAX_RADIUS_KM * 1000
    nearest = (
        _filtered(query)
        .filter(query.origin.within_box(metres), distance_m__lte=metres)
        .order_by(query.origin.nearest_first())
        .values_list("distance_m", flat=True)
        .first()
    )
    return nearest / 1000 if nearest is not None else None


def _practitioner_filters(query: SearchQuery) -> Q:
    """Filters on the practitioner, written as EXISTS so each location stays one row and
    the nearest-first index scan can stop early."""
    conditions = Q()
    if query.condition is not None:
        # A practitioner who lists chronic migraine treats migraine; the evidence library
        # counts practitioners for a condition the same way.
        treats = Practitioner.conditions.through.objects.filter(
            practitioner_id=OuterRef("practitioner_id"),
            condition_id__in=query.condition.with_subtype_ids(),
        )
        conditions &= Q(Exists(treats))
    if query.technique is not None:
        offers = Practitioner.modalities.through.objects.filter(
            practitioner_id=OuterRef("practitioner_id"), intervention_id=query.technique.pk
        )
        conditions &= Q(Exists(offers))
    if query.language:
        conditions &= Q(practitioner__languages__contains=[query.language])
    if query.accepting_new_patients:
        # Only a status confirmed recently counts (see PractitionerQuerySet).
        accepting = Practitioner.objects.accepting_new_patients().filter(
            pk=OuterRef("practitioner_id")
        )
        conditions &= Q(Exists(accepting))
    if query.telehealth:
        conditions &= Q(practitioner__telehealth=True)
    if query.certification:
        body, credential, _ = CERTIFICATIONS[query.certification]
        certified = Certification.objects.in_force().filter(
            practitioner_id=OuterRef("practitioner_id"), body=body
        )
        if credential:
            certified = certified.filter(credential=credential)
        conditions &= Q(Exists(certified))
    if query.min_years is not None:
        latest_start = timezone.localdate().year - query.min_years
        conditions &= Q(practitioner__practice_started__lte=latest_start)
    return conditions


def _text_relevance(text: str) -> Greatest:
    """How well the text matches the practitioner's name or the clinic's, ignoring case and
    accents and forgiving small typos (0 to 1)."""
    wanted = Normalize(Value(text))
    full_name = Normalize(Concat("practitioner__first_name", Value(" "), "practitioner__last_name"))
    return Greatest(
        TrigramWordSimilarity(wanted, full_name),
        TrigramWordSimilarity(wanted, Normalize("clinic_name")),
    )


def _load_hits(rows: list[tuple[int, float]]) -> list[Hit]:
    if not rows:
        return []
    locations = (
        Location.objects.select_related("practitioner")
        .prefetch_related(
            "practitioner__conditions",
            Prefetch(
                "practitioner__licenses",
                queryset=License.objects.in_force(),
                to_attr="licenses_in_force",
            ),
        )
        .in_bulk([location_id for location_id, _ in rows])
    )
    hits = []
    for location_id, distance_m in rows:
        location = locations[location_id]
        practitioner = location.practitioner
        covering = next(
            (
                license
                for license in practitioner.licenses_in_force
                if license.country == location.country and license.region in {"", location.region}
            ),
            None,
        )
        hits.append(Hit(practitioner, location, distance_m / 1000, covering))
    return hits
