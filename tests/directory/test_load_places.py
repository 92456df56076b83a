"""The gazetteer the tests load is the one `load_places` loads: postcodes abroad included,
recorded as current so that `--if-empty` leaves it alone."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from directory import place_loading
from directory.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def test_if_empty_leaves_a_current_gazetteer_alone():
    assert place_loading.is_current()
    output = StringIO()
    call_command("load_places", if_empty=True, stdout=output)
    assert output.getvalue() == "The gazetteer is already loaded.\n"


def test_postcodes_abroad_are_loaded_with_their_places():
    counts = dict(
        Place.objects.filter(kind=PlaceKind.POSTAL)
        .exclude(country="US")
        .values_list("country")
        .annotate(Count("id"))
    )
    # Canada's forward sortation areas, Australia's and New Zealand's postcodes, and Great
    # Britain's outward codes (Code-Point Open has no Northern Ireland).
    assert counts["CA"] > 1500 and counts["AU"] > 3000 and counts["NZ"] > 800
    assert counts["GB"] > 2800
    assert set(counts) == {"CA", "AU", "NZ", "GB"}
    assert not Place.objects.filter(country="GB", postal_code__startswith="BT").exists()
    toronto = Place.objects.get(country="CA", postal_code="M5H")
    assert (toronto.region, toronto.region_name) == ("ON", "Ontario")
    assert toronto.label == "M5H, Downtown Toronto (Richmond / Adelaide / King), Canada"
