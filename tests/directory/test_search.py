"""directory.search: who is found near a point, in what order, at what distance."""

from __future__ import annotations

import datetime
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from geopy.distance import geodesic

from credentialing.models import CredentialStatus
from directory import search
from directory.expressions import EarthPoint
from directory.models import Location, Practitioner
from evidence.models import Condition, Intervention
from tests.factories import (
    CertificationFactory,
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
    force_status,
    today,
)

pytestmark = pytest.mark.django_db

UNION_SQUARE = EarthPoint(37.7880, -122.4075)  # San Francisco


def offset(point: EarthPoint, *, north_km: float = 0, east_km: float = 0) -> EarthPoint:
    """A point `north_km` and `east_km` away (good to a few metres at these distances)."""
    latitude = point.latitude + north_km / 111.195
    longitude = point.longitude + east_km / (111.195 * math.cos(math.radians(point.latitude)))
    return EarthPoint(latitude, longitude)


def practitioner_at(point: EarthPoint, **fields) -> Practitioner:
    """A listed practitioner with a San Francisco-area clinic at `point`."""
    practitioner = PractitionerFactory(**fields)
    LocationFactory(practitioner=practitioner, latitude=point.latitude, longitude=point.longitude)
    LicenseFactory(practitioner=practitioner)
    return practitioner


def found(query: search.SearchQuery, **page) -> list[str]:
    return [hit.practitioner.slug for hit in search.search(query, **page).hits]


def test_results_are_nearest_first_with_distances_that_match_geodesic():
    far = practitioner_at(offset(UNION_SQUARE, north_km=12), slug="far")
    near = practitioner_at(offset(UNION_SQUARE, east_km=1.5), slug="near")
    middle = practitioner_at(offset(UNION_SQUARE, north_km=-4, east_km=3), slug="middle")

    page = search.search(search.SearchQuery(origin=UNION_SQUARE))

    assert [hit.practitioner for hit in page.hits] == [near, middle, far]
    for hit in page.hits:
        location = hit.location
        expected = geodesic(
            (UNION_SQUARE.latitude, UNION_SQUARE.longitude),
            (location.latitude, location.longitude),
        ).km
        assert hit.distance_km == pytest.approx(expected, rel=0.005)
    assert (page.total, page.has_next, page.page_count) == (3, False, 1)


@pytest.mark.parametrize(
    ("origin", "destination"),
    [
        ((40.7128, -74.0060), (42.3601, -71.0589)),  # New York to Boston
        ((47.6062, -122.3321), (45.5152, -122.6784)),  # Seattle to Portland
        ((-33.8688, 151.2093), (-37.8136, 144.9631)),  # Sydney to Melbourne
        ((51.5072, -0.1276), (55.9533, -3.1883)),  # London to Edinburgh
    ],
)
def test_long_distances_agree_with_geodesic_within_half_a_percent(origin, destination):
    practitioner = practitioner_at(EarthPoint(*destination))
    practitioner.locations.update(country="US", region="CA")  # keep it listable
    query = search.SearchQuery(origin=EarthPoint(*origin), radius_km=search.MAX_RADIUS_KM * 2)
    (hit,) = search.search(query).hits
    assert hit.distance_km == pytest.approx(geodesic(origin, destination).km, rel=0.005)


def test_radius_boundary_is_honoured():
    practitioner_at(offset(UNION_SQUARE, north_km=24.9), slug="inside")
    practitioner_at(offset(UNION_SQUARE, north_km=25.1), slug="outside")
    assert found(search.SearchQuery(origin=UNION_SQUARE, radius_km=25)) == ["inside"]
    assert found(search.SearchQuery(origin=UNION_SQUARE, radius_km=26)) == ["inside", "outside"]


def test_the_cheaper_distance_expressions_agree_with_earthdistance_to_the_bit():
    """EarthPosition is ll_to_earth without the domain cast and EarthDistance is
    earth_distance written out: the same figures, so the radius boundary and the keyset
    paging on distance (FHIR) stay where they were."""
    points = [offset(UNION_SQUARE, north_km=km, east_km=km / 3) for km in (0.5, 7.25, 24.99, 25)]
    points.append(EarthPoint(-33.8688, 151.2093))  # Sydney, 12,000 km away
    points.append(EarthPoint(-UNION_SQUARE.latitude, UNION_SQUARE.longitude + 180))  # antipode
    for point in points:
        practitioner_at(point)
    rows = Location.objects.annotate(
        ours=UNION_SQUARE.distance(),
        position=EarthPoint.position_of_columns(),
        earth=EarthPoint.of_columns(),
    ).values_list("ours", "position", "earth", "latitude", "longitude")
    with connection.cursor() as cursor:
        for ours, position, earth, latitude, longitude in rows:
            cursor.execute(
                "SELECT earth_distance(ll_to_earth(%s, %s), ll_to_earth(%s, %s))",
                [latitude, longitude, UNION_SQUARE.latitude, UNION_SQUARE.longitude],
            )
            theirs = cursor.fetchone()[0]
            assert ours == (theirs if theirs < 20_000_000 else pytest.approx(theirs, rel=1e-12))
            assert position == earth


def test_one_result_per_practitioner_at_their_nearest_location():
    practitioner = practitioner_at(offset(UNION_SQUARE, north_km=8), slug="two-clinics")
    nearer = LocationFactory(
        practitioner=practitioner,
        latitude=offset(UNION_SQUARE, east_km=2).latitude,
        longitude=offset(UNION_SQUARE, east_km=2).longitude,
    )
    practitioner_at(offset(UNION_SQUARE, north_km=5), slug="one-clinic")

    hits = search.search(search.SearchQuery(origin=UNION_SQUARE)).hits

    assert [hit.practitioner.slug for hit in hits] == ["two-clinics", "one-clinic"]
    assert hits[0].location == nearer
    assert hits[0].distance_km == pytest.approx(2, rel=0.01)
    assert search.search(search.SearchQuery(origin=UNION_SQUARE)).total == 2


@pytest.mark.parametrize(
    "unlist",
    [
        pytest.param(lambda p: Practitioner.objects.filter(pk=p.pk).update(published=False)),
        pytest.param(lambda p: force_status(p.licenses.all(), "pending"), id="pending"),
        pytest.param(lambda p: force_status(p.licenses.all(), "revoked"), id="revoked"),
        pytest.param(
            lambda p: p.licenses.update(expires_on=today() - datetime.timedelta(days=1)),
            id="expired",
        ),
        pytest.param(lambda p: p.licenses.update(region="NV"), id="licensed-elsewhere"),
    ],
)
def test_nobody_unlisted_is_ever_found(unlist):
    hidden = practitioner_at(offset(UNION_SQUARE, east_km=1), slug="hidden")
    practitioner_at(offset(UNION_SQUARE, east_km=2), slug="listed")
    unlist(hidden)
    query = search.SearchQuery(origin=UNION_SQUARE)
    assert found(query) == ["listed"]
    assert search.search(query).total == 1


def test_filters_narrow_the_results():
    migraine = Condition.objects.get(slug="migraine")
    cupping = Intervention.objects.get(slug="cupping")
    everyone = practitioner_at(offset(UNION_SQUARE, east_km=1), slug="plain", languages=["en"])
    specialist = practitioner_at(
        offset(UNION_SQUARE, east_km=2),
        slug="specialist",
        languages=["en", "yue"],
        telehealth=True,
        practice_started=1995,
    )
    specialist.conditions.add(Condition.objects.get(slug="chronic-migraine"))
    specialist.techniques.add(cupping)
    CertificationFactory(practitioner=specialist, credential="Dipl. O.M.")
    everyone.accepting_new_patients = False
    everyone.save()

    def only(**filters) -> list[str]:
        return found(search.SearchQuery(origin=UNION_SQUARE, **filters))

    assert only() == ["plain", "specialist"]
    # chronic migraine is a kind of migraine: a search for migraine finds it
    assert only(condition=migraine) == ["specialist"]
    assert only(condition=Condition.objects.get(slug="cluster-headache")) == []
    assert only(technique=cupping) == ["specialist"]
    assert only(language="yue") == ["specialist"]
    assert only(telehealth=True) == ["specialist"]
    assert only(accepting_new_patients=True) == ["specialist"]
    assert only(certification="nccaom") == ["specialist"]
    assert only(certification="nccaom-dipl-om") == ["specialist"]
    assert only(certification="nccaom-dipl-ac") == []
    assert only(min_years=today().year - 1995) == ["specialist"]


def test_a_certification_that_is_not_in_force_does_not_count():
    practitioner = practitioner_at(offset(UNION_SQUARE, east_km=1))
    CertificationFactory(practitioner=practitioner, status=CredentialStatus.PENDING)
    assert found(search.SearchQuery(origin=UNION_SQUARE, certification="nccaom")) == []


def test_text_query_forgives_case_accents_and_typos_and_ranks_by_relevance():
    # Every name is given: a random one ("Chang") could be near enough to "Zhang".
    practitioner_at(
        offset(UNION_SQUARE, east_km=1), slug="other", first_name="Ann", last_name="Okafor"
    )
    practitioner_at(
        offset(UNION_SQUARE, east_km=5), slug="jose-far", first_name="José", last_name="Núñez"
    )
    practitioner_at(
        offset(UNION_SQUARE, east_km=3), slug="jose-near", first_name="José", last_name="Núñez"
    )
    clinic_owner = practitioner_at(
        offset(UNION_SQUARE, east_km=2), slug="clinic", first_name="Mary", last_name="Brown"
    )
    clinic_owner.locations.update(clinic_name="Nuñez Family Acupuncture")

    assert found(search.SearchQuery(origin=UNION_SQUARE, text="jose nunez")) == [
        "jose-near",
        "jose-far",
        "clinic",
    ]
    assert found(search.SearchQuery(origin=UNION_SQUARE, text="Nunes")) == [
        "clinic",
        "jose-near",
        "jose-far",
    ]
    assert found(search.SearchQuery(origin=UNION_SQUARE, text="Zhang")) == []


def test_pages_hold_distinct_practitioners_in_order():
    for index in range(7):
        practitioner_at(offset(UNION_SQUARE, east_km=index + 1), slug=f"p{index}")
    query = search.SearchQuery(origin=UNION_SQUARE)

    first = search.search(query, page=1, page_size=3)
    second = search.search(query, page=2, page_size=3)
    third = search.search(query, page=3, page_size=3)

    assert [h.practitioner.slug for h in first.hits] == ["p0", "p1", "p2"]
    assert [h.practitioner.slug for h in second.hits] == ["p3", "p4", "p5"]
    assert [h.practitioner.slug for h in third.hits] == ["p6"]
    assert (first.has_next, second.has_next, third.has_next) == (True, True, False)
    assert first.total == 7 and first.page_count == 3


def test_count_is_capped_above_the_result_limit():
    for index in range(search.RESULT_LIMIT + 5):
        practitioner_at(
            offset(UNION_SQUARE, east_km=(index % 20) * 0.5, north_km=(index // 20) * 0.5)
        )
    query = search.SearchQuery(origin=UNION_SQUARE)
    last_page = search.RESULT_LIMIT // 20
    page = search.search(query, page=last_page, page_size=20)
    assert page.total == search.RESULT_LIMIT + 1
    assert page.total_is_capped
    assert len(page.hits) == 20 and not page.has_next


def test_nearest_distance_is_offered_when_nobody_is_within_the_radius():
    practitioner_at(offset(UNION_SQUARE, north_km=60))
    query = search.SearchQuery(origin=UNION_SQUARE, radius_km=25)
    assert search.search(query).hits == []
    assert search.nearest_match(query) == search.NearestMatch(pytest.approx(60, rel=0.01), True)
    far_away = search.SearchQuery(origin=EarthPoint(40.7, -74.0))
    assert search.nearest_match(far_away) == search.NearestMatch(None, looked_at_all=True)


def test_the_license_covering_the_location_is_the_badge():
    practitioner = practitioner_at(offset(UNION_SQUARE, east_km=1))
    LicenseFactory(practitioner=practitioner, region="NY")
    (hit,) = search.search(search.SearchQuery(origin=UNION_SQUARE)).hits
    assert hit.license.jurisdiction == "US-CA"


def test_accepting_new_patients_counts_only_when_confirmed_within_90_days():
    fresh = practitioner_at(offset(UNION_SQUARE, east_km=1), slug="fresh")
    stale = practitioner_at(offset(UNION_SQUARE, east_km=2), slug="stale")
    Practitioner.objects.filter(pk=stale.pk).update(
        accepting_new_patients_on=today() - datetime.timedelta(days=91)
    )
    assert fresh.accepting_new_patients and stale.accepting_new_patients
    assert found(search.SearchQuery(origin=UNION_SQUARE, accepting_new_patients=True)) == ["fresh"]
    hits = search.search(search.SearchQuery(origin=UNION_SQUARE)).hits
    assert [hit.practitioner.accepting_new_patients_shown for hit in hits] == [True, None]


@pytest.mark.parametrize(
    "radius_km, expected",
    [
        (25, ["speaks-korean"]),  # the radius box
        (300, ["speaks-korean", "farther"]),  # nearest first, too few pass: then the box
    ],
)
def test_rare_matches_are_found_however_many_unmatched_clinics_are_nearer(radius_km, expected):
    # Many more unmatched clinics nearby than a first batch of candidates holds.
    for index in range(search.first_batch(20) * 8 + 10):
        practitioner_at(offset(UNION_SQUARE, east_km=0.01 * index), languages=["en"])
    practitioner_at(offset(UNION_SQUARE, north_km=9), slug="speaks-korean", languages=["ko"])
    practitioner_at(offset(UNION_SQUARE, north_km=30), slug="farther", languages=["ko"])

    query = search.SearchQuery(origin=UNION_SQUARE, language="ko", radius_km=radius_km)
    assert found(query) == expected
    assert search.nearest_match(query).distance_km == pytest.approx(9, rel=0.01)


def test_a_filtered_search_reads_on_while_many_clinics_are_one_practitioners():
    # A first batch of rows (first_batch(3) = 5) holds only two practitioners: read on.
    busy = practitioner_at(offset(UNION_SQUARE, east_km=1), slug="busy")
    for index in range(6):
        point = offset(UNION_SQUARE, east_km=1.1 + 0.1 * index)
        LocationFactory(practitioner=busy, latitude=point.latitude, longitude=point.longitude)
    for index, slug in enumerate(["second", "third", "fourth"]):
        practitioner_at(offset(UNION_SQUARE, north_km=3 + index), slug=slug)

    for query in [
        search.SearchQuery(origin=UNION_SQUARE),
        search.SearchQuery(origin=UNION_SQUARE, language="en"),  # every one speaks English
        search.SearchQuery(origin=UNION_SQUARE, language="en", radius_km=300),  # nearest first
    ]:
        ranked = search.nearest_practitioners(query, limit=3)
        practitioners = Location.objects.in_bulk([pk for pk, _ in ranked])
        slugs = [practitioners[pk].practitioner.slug for pk, _ in ranked]
        assert slugs == ["busy", "second", "third"]
        assert ranked[0][0] == busy.locations.order_by("pk").first().pk  # its nearest clinic


def test_a_filtered_search_looks_up_the_conditions_subtypes_once():
    # A first batch (first_batch(3) = 5 rows) of one practitioner's clinics: more batches
    # follow, and each must not look the subtypes up again.
    busy = practitioner_at(offset(UNION_SQUARE, east_km=1), slug="busy")
    migraine = Condition.objects.get(slug="migraine")
    busy.conditions.add(migraine)
    for index in range(6):
        point = offset(UNION_SQUARE, east_km=1.1 + 0.1 * index)
        LocationFactory(practitioner=busy, latitude=point.latitude, longitude=point.longitude)
    query = search.SearchQuery(origin=UNION_SQUARE, condition=migraine)

    def subtype_lookups(work) -> int:
        with CaptureQueriesContext(connection) as queries:
            work()
        return sum('"evidence_condition"' in q["sql"] for q in queries.captured_queries)

    once = subtype_lookups(lambda: search._practitioner_filters(query))  # a level a query
    assert once > 0
    assert subtype_lookups(lambda: search.nearest_practitioners(query, limit=3)) == once
    wide = search.SearchQuery(origin=UNION_SQUARE, condition=migraine, radius_km=300)
    assert subtype_lookups(lambda: search.nearest_practitioners(wide, limit=3)) == once


def test_the_search_for_the_nearest_match_stops_at_its_budget(monkeypatch):
    monkeypatch.setattr(search, "NEAREST_MATCH_BUDGET", 3)
    for index in range(5):
        practitioner_at(offset(UNION_SQUARE, east_km=index + 1), languages=["en"])
    practitioner_at(offset(UNION_SQUARE, north_km=40), slug="far-speaker", languages=["ko"])
    query = search.SearchQuery(origin=UNION_SQUARE, radius_km=10, language="ko")
    assert search.nearest_match(query) == search.NearestMatch(None, looked_at_all=False)
    monkeypatch.setattr(search, "NEAREST_MATCH_BUDGET", 4000)
    assert search.nearest_match(query).distance_km == pytest.approx(40, rel=0.01)


def test_the_nearest_match_beyond_the_first_look_is_found_in_the_database(monkeypatch):
    monkeypatch.setattr(search, "NEAREST_MATCH_FIRST_LOOK", 2)
    for index in range(4):
        practitioner_at(offset(UNION_SQUARE, east_km=index + 1), languages=["en"])
    practitioner_at(offset(UNION_SQUARE, north_km=70), slug="farther", languages=["ko"])
    practitioner_at(offset(UNION_SQUARE, north_km=40), slug="far-speaker", languages=["ko"])
    query = search.SearchQuery(origin=UNION_SQUARE, radius_km=10, language="ko")
    assert search.nearest_match(query) == search.NearestMatch(pytest.approx(40, rel=0.01), True)
    # A budget that ends before the speakers: not found, and not everything was looked at.
    monkeypatch.setattr(search, "NEAREST_MATCH_BUDGET", 4)
    assert search.nearest_match(query) == search.NearestMatch(None, looked_at_all=False)
    # Nobody within reach speaks Korean; the seventh clinic is beyond reach (600 km).
    Practitioner.objects.filter(slug__in=["farther", "far-speaker"]).update(languages=["es"])
    practitioner_at(offset(UNION_SQUARE, north_km=600), slug="beyond", languages=["ko"])
    monkeypatch.setattr(search, "NEAREST_MATCH_BUDGET", 6)  # ends within reach
    assert search.nearest_match(query) == search.NearestMatch(None, looked_at_all=False)
    monkeypatch.setattr(search, "NEAREST_MATCH_BUDGET", 7)  # ends beyond it: all was seen
    assert search.nearest_match(query) == search.NearestMatch(None, looked_at_all=True)


def test_how_far_the_budget_reaches_is_kept_for_the_point_under_the_stamp(monkeypatch, settings):
    settings.PAGE_CACHE_SECONDS = 600
    monkeypatch.setattr(search, "NEAREST_MATCH_FIRST_LOOK", 2)
    monkeypatch.setattr(search, "NEAREST_MATCH_BUDGET", 3)
    clinics = [
        practitioner_at(offset(UNION_SQUARE, east_km=index + 1), languages=["en"])
        for index in range(4)
    ]
    query = search.SearchQuery(origin=UNION_SQUARE, radius_km=10, language="ko")

    def answer(stamp):
        with CaptureQueriesContext(connection) as queries:
            found = search.nearest_match(query, stamp=stamp)
        reads = sum("OFFSET 2" in q["sql"] for q in queries.captured_queries)
        return found, reads

    unseen = search.NearestMatch(None, looked_at_all=False)
    assert answer("one") == (unseen, 1)
    assert answer("one") == (unseen, 0)  # kept: every filter shares it
    Practitioner.objects.filter(pk__in=[clinic.pk for clinic in clinics[2:]]).delete()
    assert answer("two") == (search.NearestMatch(None, looked_at_all=True), 1)  # a new stamp
    assert answer(None) == (search.NearestMatch(None, looked_at_all=True), 1)  # never kept
    assert answer(None)[1] == 1


def test_equal_distances_are_ordered_by_id_while_the_index_keeps_the_order():
    shared = offset(UNION_SQUARE, east_km=2)  # one building, five clinics
    clinics = [practitioner_at(shared).locations.get() for _ in range(5)]
    practitioner_at(offset(UNION_SQUARE, east_km=1), slug="nearer")
    # Move the first two to the end of the table: the index now meets them last.
    for clinic in clinics[:2]:
        clinic.save()
    ids = sorted(clinic.pk for clinic in clinics)

    # The cut falls inside the tie: the nearer clinic, then the lowest ids of the five.
    rows = search.nearest_rows(UNION_SQUARE, 3)
    assert [row[0] for row in rows[1:]] == ids[:2]
    assert [row[0] for row in search.nearest_rows(UNION_SQUARE, 10)[1:]] == ids
    # Without the id in SQL, PostgreSQL reads the GiST index in distance order and stops
    # (on a table this small it would rather scan it, hence the setting).
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search.nearest_listable(UNION_SQUARE)[:3].explain()
    assert "Index Scan using directory_location_earth" in plan
    assert "Sort" not in plan
