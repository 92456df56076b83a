from __future__ import annotations

from urllib.parse import urlsplit

from django import template

from credentialing.sources import CERTIFICATION_SOURCES, LICENSE_SOURCES

register = template.Library()

KNOWN_NAMES = {
    source.url: source.name
    for table in (LICENSE_SOURCES, CERTIFICATION_SOURCES)
    for sources in table.values()
    for source in sources
}


@register.filter
def source_name(source: str) -> str:
    """A recorded source as patients read it: a known look-up's name, a URL's host name,
    or the reference as written (e.g. "NCCAOM certification verification")."""
    if source in KNOWN_NAMES:
        return KNOWN_NAMES[source]
    parts = urlsplit(source)
    if parts.scheme in {"http", "https"} and parts.hostname:
        return parts.hostname.removeprefix("www.")
    return source
