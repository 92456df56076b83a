"""One definition of "treats this condition": the condition or any subtype. The search, the
condition page and the conditions list (API) give patients the same number."""

from __future__ import annotations

import pytest

from directory import search
from directory.expressions import EarthPoint
from directory.models import Practitioner
from evidence.models import Condition
from tests.factories import listed_practitioner

pytestmark = pytest.mark.django_db

SAN_FRANCISCO = EarthPoint(37.7898, -122.3942)


@pytest.fixture
def treaters():
    """One practitioner who lists migraine, one who lists only chronic migraine (a
    subtype), one who lists only cluster headache, and one unlisted who lists migraine."""
    migraine = Condition.objects.get(slug="migraine")
    chronic = Condition.objects.get(slug="chronic-migraine")
    assert chronic.parent == migraine
    listed_practitioner(slug="lists-migraine").conditions.add(migraine)
    listed_practitioner(slug="lists-chronic").conditions.add(chronic)
    listed_practitioner(slug="lists-cluster").conditions.add(
        Condition.objects.get(slug="cluster-headache")
    )
    unlisted = listed_practitioner(slug="unpublished", published=False)
    unlisted.conditions.add(migraine)
    return migraine, chronic


def test_a_condition_includes_its_subtypes_but_not_the_other_way_round(treaters):
    migraine, chronic = treaters
    assert set(Practitioner.objects.treating(migraine).values_list("slug", flat=True)) == {
        "lists-migraine",
        "lists-chronic",
        "unpublished",
    }
    assert list(
        Practitioner.objects.listable().treating(chronic).values_list("slug", flat=True)
    ) == ["lists-chronic"]


def test_search_condition_page_and_conditions_list_agree(client, treaters):
    migraine, _ = treaters
    found = search.search(search.SearchQuery(origin=SAN_FRANCISCO, condition=migraine))
    assert sorted(hit.practitioner.slug for hit in found.hits) == [
        "lists-chronic",
        "lists-migraine",
    ]
    page = client.get("/conditions/migraine/").content.decode()
    assert "2 listed practitioners say they treat migraine" in page
    listing = {item["slug"]: item for item in client.get("/api/v1/conditions/").json()}
    assert listing["migraine"]["practitioners"] == 2
    assert listing["chronic-migraine"]["practitioners"] == 1


def test_subtypes_at_any_depth_in_one_read(django_assert_num_queries):
    migraine = Condition.objects.get(slug="migraine")
    chronic = Condition.objects.get(slug="chronic-migraine")
    severe = Condition.objects.create(name="Severe chronic migraine", slug="severe", parent=chronic)
    with django_assert_num_queries(1):
        ids = migraine.with_subtype_ids()
    assert ids[0] == migraine.pk
    assert {chronic.pk, severe.pk} <= set(ids)
    assert len(ids) == len(set(ids))
    assert Condition.objects.get(slug="cluster-headache").pk not in ids
    assert chronic.with_subtype_ids() == [chronic.pk, severe.pk]
