"""The search page's filters panel kept rendered (directory.views._filters_key): the same
filters in another search are not rendered again, and what the panel shows (the chosen
values, the unit, the language, the directory's vocabulary) is always current."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence.models import Condition

pytestmark = pytest.mark.django_db

PANEL = "directory/includes/search_filters.html"
PHOENIX = "33.4484, -112.0740"
TUCSON = "32.2226, -110.9747"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


def panel(client, prefix: str = "", **params) -> tuple[str, bool]:
    """The filters panel of a search page, and whether it was rendered for this request."""
    response = client.get(f"{prefix}/search/", params)
    (html,) = re.findall(r'<details class="search-filters".*?</details>', response.text, re.S)
    return html, any(template.name == PANEL for template in response.templates)


def selected(html: str, name: str) -> list[str]:
    menu = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]* selected', menu)


def test_the_same_filters_elsewhere_are_not_rendered_again(client):
    first, rendered = panel(client, near=PHOENIX, condition="migraine", language="es")
    assert rendered
    assert selected(first, "condition") == ["migraine"]
    assert selected(first, "language") == ["es"]
    assert "(2 active)" in first

    assert panel(client, near=TUCSON, condition="migraine", language="es") == (first, False)


def test_a_kept_panel_does_not_read_the_payers(client):
    """The insurance menu's payers are read only when the panel is rendered."""
    with CaptureQueriesContext(connection) as first:
        html, rendered = panel(client, near=PHOENIX, condition="migraine")
    assert rendered and '<select name="insurance"' in html
    assert any("directory_payer" in query["sql"] for query in first.captured_queries)
    with CaptureQueriesContext(connection) as second:
        assert panel(client, near=TUCSON, condition="migraine") == (html, False)
    assert not any("directory_payer" in query["sql"] for query in second.captured_queries)


def test_other_filters_are_rendered_with_their_own_values(client):
    panel(client, near=PHOENIX, condition="migraine")
    html, rendered = panel(client, near=PHOENIX, condition="insomnia", radius=50)
    assert rendered
    assert selected(html, "condition") == ["insomnia"]
    assert selected(html, "radius") == ["50"]
    assert "(1 active)" in html


def test_a_new_condition_is_in_the_menu_at_once(client):
    before, _ = panel(client, near=PHOENIX)
    assert "Hiccups" not in before
    Condition.objects.create(name="Hiccups", slug="hiccups")
    after, rendered = panel(client, near=TUCSON)
    assert rendered
    assert '<option value="hiccups">Hiccups</option>' in after


def test_each_language_has_its_own_panel(client):
    english, _ = panel(client, near=PHOENIX)
    spanish, rendered = panel(client, "/es", near=PHOENIX)
    assert rendered
    assert "Filters" in english and "Filtros" in spanish


def test_a_form_with_errors_is_rendered_each_time_with_its_messages(client):
    for _ in range(2):
        html, rendered = panel(client, near=PHOENIX, radius=9000)
        assert rendered
        assert "The radius must be between 1 and 500 km" in html


def test_nothing_is_kept_with_the_page_cache_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    first, _ = panel(client, near=PHOENIX, condition="migraine")
    assert panel(client, near=PHOENIX, condition="migraine") == (first, True)
