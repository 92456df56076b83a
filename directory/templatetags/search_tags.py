from __future__ import annotations

from django import template
from django.http import HttpRequest, QueryDict
from django.utils.formats import number_format
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag
def query_with(request: HttpRequest, **changes: object) -> str:
    """The current query string with some parameters replaced (None removes one), and
    without the empty ones a form sends for filters left unset (see set_parameters)."""
    params = set_parameters(request.GET)
    for name, value in changes.items():
        if value is None or value == "":
            params.pop(name, None)
        else:
            params[name] = str(value)
    return "?" + params.urlencode()


def set_parameters(query: QueryDict) -> QueryDict:
    """Only the parameters that carry a value: a GET form sends every field, so a shared
    search URL would otherwise carry a dozen empty ones. `near` stays even when empty,
    as the search page answers an empty place with its message."""
    kept = QueryDict(mutable=True)
    for name, values in query.lists():
        wanted = [value for value in values if value != ""]
        if wanted:
            kept.setlist(name, wanted)
        elif name == "near":
            kept.setlist(name, [""])
    return kept


@register.filter
def unit_label(unit: str) -> str:
    """The unit's abbreviation in the page's language ("km", "mi"; 公里 in Chinese)."""
    if unit == "mi":
        return pgettext("distance unit", "mi")
    if unit == "km":
        return pgettext("distance unit", "km")
    return unit


@register.filter
def distance_in(hit, unit: str) -> str:
    """'2.4 mi' or '3.9 km', with the language's decimal mark."""
    distance = number_format(round(hit.distance(unit), 1), decimal_pos=1)
    return f"{distance} {unit_label(unit)}"
