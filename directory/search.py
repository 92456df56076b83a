"""Nearby search: listable locations near a point, nearest first, one result per
practitioner (at their nearest location), with filters and an optional name query.

How it stays fast: the GiST index on
ll_to_earth(latitude, longitude) answers both the radius prefilter (`earth_box @>`) and the
nearest-first order (`<->`), so PostgreSQL reads locations in distance order and stops once
a page is full; `earth_distance` rechecks the exact radius. A first query fetches only ids
and distances; a second loads the page's practitioners.
"""

from __future__ import annotations

import functools
import hashlib
import math
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.cache import cache
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Concat, Greatest, Round
from django.utils import timezone
from django.utils.translation import gettext_lazy

from credentialing.models import Certification, License
from directory import hours
from directory.expressions import EarthPoint, Normalize
from directory.models import Location, OpeningInterval, Payer, Practitioner, treats
from evidence.models import Condition, Intervention

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DEFAULT_RADIUS_KM = 25.0
MIN_RADIUS_KM = 1.0
MAX_RADIUS_KM = 500.0
# A search pages through at most the nearest 100 practitioners (five pages): enough for a
# patient, and it bounds the work of counting ("more than 100").
RESULT_LIMIT = 100
KM_PER_MILE = 1.609344
# Below this word similarity a name does not match the text query at all.
TEXT_MATCH_THRESHOLD = 0.5
# Reads of the nearest candidates before the bounded search takes over; the share of them
# passing the filters below which reading nearest-first no longer pays; and the radius up to
# which a filtered search goes straight to the bounded search (100 miles and 100 km included).
FAST_TRIES = 3
SPARSE_RATE = 0.05
BOX_RADIUS_KM = 200.0
# Listable locations an empty search looks among, nearest first, to say how far the nearest
# match is; the first few are read and checked on their own (a match is usually close).
NEAREST_MATCH_BUDGET = 4000
NEAREST_MATCH_FIRST_LOOK = 250

# Certification filter values: (body, credential or "" for any credential of that body).
# The labels are the filter's words on the page (translated); body and credential are data.
CERTIFICATIONS: dict[str, tuple[str, str, StrOrPromise]] = {
    "nccaom": ("NCCAOM", "", gettext_lazy("NCCAOM diplomate (any)")),
    "nccaom-dipl-ac": ("NCCAOM", "Dipl. Ac.", gettext_lazy("NCCAOM Diplomate of Acupuncture")),
    "nccaom-dipl-om": (
        "NCCAOM",
        "Dipl. O.M.",
        gettext_lazy("NCCAOM Diplomate of Oriental Medicine"),
    ),
    "nccaom-dipl-ch": (
        "NCCAOM",
        "Dipl. C.H.",
        gettext_lazy("NCCAOM Diplomate of Chinese Herbology"),
    ),
}


@dataclass(frozen=True)
class SearchQuery:
    origin: EarthPoint
    radius_km: float = DEFAULT_RADIUS_KM
    condition: Condition | None = None
    technique: Intervention | None = None
    language: str = ""
    gender: str = ""
    accepting_new_patients: bool = False
    telehealth: bool = False
    sliding_scale: bool = False  # at a clinic with a sliding scale
    step_free: bool = False  # at a clinic with a step-free entrance
    open_evenings: bool = False  # at a clinic open after 17:00 local time on some day
    open_weekends: bool = False  # at a clinic open on Saturday or Sunday
    open_now: bool = False  # at a clinic open at this instant, on the clinic's own clock
    insurance: Payer | None = None  # at a clinic that accepts this payer
    certification: str = ""
    min_years: int | None = None
    text: str = ""


@dataclass
class Hit:
    practitioner: Practitioner
    location: Location
    distance_km: float | None  # None for a look-up by identifier, which has no origin
    license: License | None  # the verified license that covers this location

    def distance(self, unit: str) -> float | None:
        if self.distance_km is None:
            return None
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


def search(
    query: SearchQuery, *, page: int = 1, page_size: int = 20, details: bool = True
) -> SearchPage:
    """One page of practitioners matching `query`, nearest first (or, with a text query,
    best match first and nearest among equals). `details=False` leaves add_details to the
    caller, for the hits that need them."""
    # One read in rank order serves both the page and the (capped) count: it stops at the
    # radius or after RESULT_LIMIT + 1 practitioners, whichever comes first.
    ranked = nearest_practitioners(query, limit=RESULT_LIMIT + 1)
    end = min(page * page_size, RESULT_LIMIT)
    return SearchPage(
        hits=_load_hits(ranked[(page - 1) * page_size : end], details=details),
        page=page,
        page_size=page_size,
        total=len(ranked),
        has_next=len(ranked) > end and end < RESULT_LIMIT,
    )


def find_by_npi(npi: str) -> SearchPage:
    """The listed practitioner holding this NPI, at one of their listable locations (the
    first by id: a look-up by identifier has no place to measure from), or no hit."""
    row = (
        Location.objects.listable()
        .filter(practitioner__npi=npi)
        .order_by("pk")
        .values_list("id", flat=True)
        .first()
    )
    hits = _load_hits([(row, None)]) if row is not None else []
    return SearchPage(hits=hits, page=1, page_size=1, total=len(hits), has_next=False)


def nearest_listable(origin: EarthPoint) -> QuerySet:
    """Listable locations straight from the GiST index, nearest first, as
    (id, practitioner_id, distance_m) rows. Not cut at any radius: callers stop reading.
    Equal distances come in the table's physical order: see nearest_rows."""
    return (
        Location.objects.listable()
        .annotate(distance_m=origin.distance())
        .order_by(origin.nearest_first())
        .values_list("id", "practitioner_id", "distance_m")
    )


def nearest_rows(origin: EarthPoint, count: int) -> list[tuple[int, int, float]]:
    """The `count` nearest listable locations in a total order: distance, then id, so a
    restored database (another physical order) answers the same. Ordering by id in SQL
    would cost the index-ordered scan (PostgreSQL sorted every listable location instead:
    274 ms against 3 ms at 115,000), so ties (one address, two clinics; demo clinics share
    ZIP centres) are put in order here, reading on while a tie straddles the cut."""
    size = max(count, 1)
    while True:
        rows = list(nearest_listable(origin)[: size + 1])
        if len(rows) <= size or rows[size][2] != rows[size - 1][2] or size >= count * 64:
            break
        size *= 2
    return sorted(rows, key=lambda row: (row[2], row[0]))[:count]


def within_radius(query: SearchQuery, filters: Q | None = None) -> QuerySet:
    """Matching locations inside the radius as (id, practitioner_id, distance_m) rows: the
    box around the radius bounds the work however rare the matches are. With a text query,
    best match first (to one decimal), then nearest; otherwise nearest first. `filters`:
    the query's own (_practitioner_filters), when the caller has built them already."""
    origin, metres = query.origin, query.radius_km * 1000
    locations = (
        Location.objects.listable()
        .filter(_practitioner_filters(query) if filters is None else filters)
        .annotate(distance_m=origin.distance())
        .filter(origin.within_box(metres), distance_m__lte=metres)
    )
    ordering = [origin.nearest_first(), "pk"]
    if query.text:
        locations = locations.annotate(relevance=_text_relevance(query.text)).filter(
            relevance__gte=TEXT_MATCH_THRESHOLD
        )
        ordering.insert(0, Round(F("relevance"), 1).desc())
    return locations.order_by(*ordering).values_list("id", "practitioner_id", "distance_m")


def nearest_practitioners(query: SearchQuery, *, limit: int) -> list[tuple[int, float]]:
    """(location id, distance in metres) of the first `limit` practitioners within the
    radius in rank order, each at their best-ranked location.

    Nearest first, the fast way: read the nearest listable locations from the index, keep
    those inside the radius that pass the filters, and read further only if too few did.
    With filters within a radius up to BOX_RADIUS_KM (or with a text query), PostgreSQL
    finds the matches inside the box around the radius instead: there, reading nearest-first
    and then filtering read hundreds of candidates to keep a few, and took about twice as
    long over the same searches (docs/benchmarks.md, "Filtered searches"). A wider box holds
    too many clinics to check them all (a condition within 500 km: 80-230 ms at 100,000
    locations), while a filter most often passes one clinic in a few among the nearest. When
    filters keep fewer than SPARSE_RATE of the candidates, reading stops and the box takes
    over."""
    filters = _practitioner_filters(query)  # a condition's subtypes cost a query: build once
    if query.text or (filters and query.radius_km <= BOX_RADIUS_KM):
        return _bounded(query, filters, limit=limit)
    metres = query.radius_km * 1000
    candidates = first_batch(limit)
    for _ in range(FAST_TRIES):
        rows = nearest_rows(query.origin, candidates)
        inside = [row for row in rows if row[2] <= metres]
        everything_read = len(inside) < len(rows) or len(rows) < candidates
        if filters:
            inside = _passing(query, filters, inside)
        ranked = _first_practitioners(inside, limit=limit)
        if len(ranked) >= limit or everything_read:
            return ranked
        # Read as many more as the rate at which locations became results says.
        rate = len(ranked) / len(rows)
        if rate < SPARSE_RATE:
            break
        candidates = math.ceil(limit / rate * 1.25)
    return _bounded(query, filters, limit=limit)


def _bounded(query: SearchQuery, filters: Q, *, limit: int) -> list[tuple[int, float]]:
    """The first `limit` practitioners from within_radius, reading a batch of rows at a time
    (most practitioners have one clinic, so the first batch usually suffices)."""
    size = first_batch(limit)
    while True:
        rows = list(within_radius(query, filters)[:size])
        ranked = _first_practitioners(rows, limit=limit)
        if len(ranked) >= limit or len(rows) < size:
            return ranked
        size *= 4


def _first_practitioners(rows: Iterable[tuple[int, int, float]], *, limit: int) -> list:
    """Each practitioner once, at their first (best-ranked) location."""
    seen: set[int] = set()
    ranked = []
    for location_id, practitioner_id, distance_m in rows:
        if practitioner_id not in seen:
            seen.add(practitioner_id)
            ranked.append((location_id, distance_m))
            if len(ranked) == limit:
                break
    return ranked


def first_batch(limit: int) -> int:
    """Rows to read for `limit` practitioners: most have one clinic, a few have two."""
    return limit + limit // 4 + 2


@dataclass(frozen=True)
class NearestMatch:
    distance_km: float | None  # None: no match found
    looked_at_all: bool  # every listable location within MAX_RADIUS_KM was considered


def nearest_match(query: SearchQuery, *, stamp: str | None = None) -> NearestMatch:
    """The nearest practitioner matching every filter (and name), up to the largest radius
    allowed, for a search that found nobody. Looks among the nearest listable locations,
    but no more than NEAREST_MATCH_BUDGET of them: an empty result page must stay as quick
    as a full one.

    First the nearest few, read and checked here (a match is usually close). Then the rest
    of the budget in one statement that filters the nearest locations in the database and
    computes only the match's distance: reading them all and checking them here took
    about twice as long (docs/benchmarks.md, "Empty searches"). `stamp`: the directory's
    (ops.http_cache.directory_stamp), to keep how far the budget reaches from this point."""
    metres = MAX_RADIUS_KM * 1000
    filters = _practitioner_filters(query)
    first_look = min(NEAREST_MATCH_FIRST_LOOK, NEAREST_MATCH_BUDGET)
    rows = nearest_rows(query.origin, first_look)
    inside = [row for row in rows if row[2] <= metres]
    passing = _passing(query, filters, inside)
    if passing:
        return NearestMatch(passing[0][2] / 1000, looked_at_all=True)
    if len(inside) < first_look:  # every listable location within reach was read
        return NearestMatch(None, looked_at_all=True)
    nearest = nearest_listable(query.origin).values_list("pk", flat=True)
    budget = nearest[:NEAREST_MATCH_BUDGET]
    distance_m = (
        _matching(query, filters, Location.objects.filter(pk__in=budget))
        .annotate(distance_m=query.origin.distance())
        .filter(distance_m__lte=metres)
        .order_by(query.origin.nearest_first(), "pk")
        .values_list("distance_m", flat=True)
        .first()
    )
    if distance_m is not None:
        return NearestMatch(distance_m / 1000, looked_at_all=True)
    # Everything within reach was looked at if the budget ran out beyond it (or never did).
    last = _budget_reach(query.origin, stamp)
    return NearestMatch(None, looked_at_all=last is None or last > metres)


def _budget_reach(origin: EarthPoint, stamp: str | None) -> float | None:
    """How far (metres) the NEAREST_MATCH_BUDGET-th nearest listable location is from
    `origin`; None if there are fewer. The same whatever the filters, so with a stamp (the
    directory's, as for result cards) it is kept in the cache for the point: the read walks
    the whole budget and took most of an empty search's time."""
    key = (
        "nearest-match-reach:"
        + hashlib.sha256(
            f"{stamp}|{origin.latitude}|{origin.longitude}|{NEAREST_MATCH_BUDGET}".encode()
        ).hexdigest()[:40]
    )
    if stamp is not None and (kept := cache.get(key)) is not None:
        return kept[0]
    nearest = nearest_listable(origin).values_list("pk", flat=True)
    reach = (
        Location.objects.filter(pk__in=nearest[NEAREST_MATCH_BUDGET - 1 : NEAREST_MATCH_BUDGET])
        .annotate(distance_m=origin.distance())
        .values_list("distance_m", flat=True)
        .first()
    )
    if stamp is not None:
        cache.set(key, [reach], settings.PAGE_CACHE_SECONDS)
    return reach


def _passing(query: SearchQuery, filters: Q, rows: list[tuple[int, int, float]]) -> list:
    """The (id, practitioner_id, distance) rows, read nearest first, whose locations match
    the query (one query), in their order."""
    ids = [row[0] for row in rows]
    matched = set(
        _matching(query, filters, Location.objects.filter(pk__any=ids))
        .order_by()
        .values_list("pk", flat=True)
    )
    return [row for row in rows if row[0] in matched]


def _matching(query: SearchQuery, filters: Q, locations: QuerySet) -> QuerySet:
    """`locations` that pass the query's filters and, with a text query, match its text."""
    locations = locations.filter(filters)
    if query.text:
        locations = locations.annotate(relevance=_text_relevance(query.text)).filter(
            relevance__gte=TEXT_MATCH_THRESHOLD
        )
    return locations


def _practitioner_filters(query: SearchQuery) -> Q:
    """Filters on the practitioner, written as EXISTS so each location stays one row and
    the nearest-first index scan can stop early."""
    conditions = Q()
    if query.condition is not None:
        conditions &= Q(treats(query.condition, practitioner=OuterRef("practitioner_id")))
    if query.technique is not None:
        offers = Practitioner.techniques.through.objects.filter(
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
    # These two are about the clinic itself: the result is the nearest clinic that has it.
    if query.sliding_scale:
        conditions &= Q(sliding_scale=True)
    if query.step_free:
        conditions &= Q(step_free_entrance=True)
    if query.open_evenings:
        # Some interval still open after EVENING on the clinic's own clock.
        late = OpeningInterval.objects.filter(location=OuterRef("pk"), closes__gt=hours.EVENING)
        conditions &= Q(Exists(late))
    if query.open_weekends:
        weekend = OpeningInterval.objects.filter(location=OuterRef("pk"), weekday__in=hours.WEEKEND)
        conditions &= Q(Exists(weekend))
    if query.open_now:
        conditions &= Q(Exists(_open_now_intervals()))
    if query.insurance is not None:
        accepted = Location.payers.through.objects.filter(
            location_id=OuterRef("pk"), payer_id=query.insurance.pk
        )
        conditions &= Q(Exists(accepted))
    if query.certification:
        body, credential, _ = CERTIFICATIONS[query.certification]
        certified = Certification.objects.in_force().filter(
            practitioner_id=OuterRef("practitioner_id"), body=body
        )
        if credential:
            certified = certified.filter(credential=credential)
        conditions &= Q(Exists(certified))
    if query.gender:
        conditions &= Q(practitioner__gender=query.gender)
    if query.min_years is not None:
        latest_start = timezone.localdate().year - query.min_years
        conditions &= Q(practitioner__practice_started__lte=latest_start)
    return conditions


def _open_now_intervals() -> QuerySet:
    """A location's opening intervals that contain this instant on its own clock. Each
    clinic keeps its IANA zone (Location.time_zone); the zones are grouped by the local
    weekday and time they read now (a few dozen groups), so one subquery covers them all.
    A clinic without a known zone is never "open now", as its card says nothing either."""
    now_open = Q(pk__in=[])
    for (weekday, time), zones in hours.open_now_clocks(_known_zones()).items():
        now_open |= Q(
            location__time_zone__in=zones, weekday=weekday, opens__lte=time, closes__gt=time
        )
    return OpeningInterval.objects.filter(now_open, location=OuterRef("pk"))


@functools.cache
def _known_zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def _text_relevance(text: str) -> Greatest:
    """How well the text matches the practitioner's name or the clinic's, ignoring case and
    accents and forgiving small typos (0 to 1)."""
    wanted = Normalize(Value(text))
    full_name = Normalize(Concat("practitioner__first_name", Value(" "), "practitioner__last_name"))
    return Greatest(
        TrigramWordSimilarity(wanted, full_name),
        TrigramWordSimilarity(wanted, Normalize("clinic_name")),
    )


def _load_hits(rows: list[tuple[int, float | None]], *, details: bool = True) -> list[Hit]:
    """The hits for (location id, distance) rows, in order: each clinic with its practitioner
    and opening hours, and with details (add_details) unless the caller adds them itself."""
    if not rows:
        return []
    page = (
        Location.objects.select_related("practitioner")
        .prefetch_related("opening_intervals")
        .filter(pk__any=[location_id for location_id, _ in rows])
        .order_by()
    )
    locations = {location.pk: location for location in page}
    hits = []
    for location_id, distance_m in rows:
        location = locations[location_id]
        distance_km = distance_m / 1000 if distance_m is not None else None
        hits.append(Hit(location.practitioner, location, distance_km, license=None))
    if details:
        add_details(hits)
    return hits


def add_details(hits: list[Hit]) -> None:
    """What a result shows beyond where and when: the practitioner's conditions and licenses
    in force (the one covering the clinic becomes hit.license), the clinic's payers. A page
    of search results whose cards are all cached (directory.cards) needs none of it."""
    prefetch_related_objects(
        [hit.location for hit in hits],
        "practitioner__conditions",
        "payers",
        Prefetch(
            "practitioner__licenses",
            queryset=License.objects.in_force().order_by(*License._meta.ordering, "pk"),
            to_attr="licenses_in_force",
        ),
    )
    for hit in hits:
        location = hit.location
        in_force: list[License] = hit.practitioner.licenses_in_force  # type: ignore[attr-defined]
        hit.license = next(
            (
                license
                for license in in_force
                if license.country == location.country and license.region in {"", location.region}
            ),
            None,
        )
