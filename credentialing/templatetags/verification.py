from __future__ import annotations

from urllib.parse import urlsplit

from django import template

from credentialing import certification_bodies
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


@register.filter
def body_in_vocabulary(body: str) -> bool:
    """Whether a certifying body is one of the vocabulary's (else the practitioner chose
    "Other" and wrote its name: staff check it)."""
    return bool(certification_bodies.canonical(body))
