from __future__ import annotations

from django import template
from django.http import HttpRequest

register = template.Library()


@register.simple_tag
def query_with(request: HttpRequest, **changes: object) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    params = request.GET.copy()
    for name, value in changes.items():
        if value is None or value == "":
            params.pop(name, None)
        else:
            params[name] = str(value)
    return "?" + params.urlencode()


@register.filter
def distance_in(hit, unit: str) -> str:
    """'2.4 mi' or '3.9 km'."""
    return f"{hit.distance(unit):.1f} {unit}"
