"""Every row of the curated alias table (directory/data/place_aliases.csv) does what it
says: a nickname lands on the place it means, an abbreviated word finds its example, a
phrase that names no place is refused with its message."""

from __future__ import annotations

import pytest

from directory import gazetteer, geocoding, place_aliases

pytestmark = pytest.mark.django_db

ROWS = place_aliases.rows()


@pytest.mark.parametrize("row", ROWS, ids=[f"{row.kind}:{row.text}" for row in ROWS])
def test_each_row_of_the_alias_table(row):
    if row.kind == "refuse":
        with pytest.raises(geocoding.PlaceNotFound) as refused:
            geocoding.geocode(row.example)
        assert str(refused.value) == row.means
        return
    found = geocoding.geocode(row.example)
    assert found.label == row.example_label
    assert gazetteer.suggest(row.example)[0].label == found.label
    if row.kind == "name":
        assert geocoding.geocode(row.means).label == found.label


def test_the_table_has_only_known_kinds_and_no_duplicates():
    assert {row.kind for row in ROWS} == {"name", "word", "refuse"}
    keys = [(row.kind, place_aliases.key(row.text)) for row in ROWS]
    assert len(keys) == len(set(keys))
