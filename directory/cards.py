"""Search result cards, rendered once and kept.

The same clinic turns up in many searches (another filter, another radius, the next page),
and its card costs more than anything else on a results page. With the page cache on
(PAGE_CACHE_SECONDS), each card is kept in the cache under the directory's stamp
(ops.http_cache.directory_stamp: version, date, listing rule, release) and everything else
it shows that a search can change: the language, the unit, the distance and the clinic's
open-now text. Any change to the directory moves the stamp, so a card is never older than
the data it shows. The cards are read in one round trip; only the hits whose cards are
missing get their details loaded (directory.search.add_details) and are rendered."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from directory.hours import OpenStatus
from directory.search import Hit, add_details
from directory.templatetags.search_tags import distance_in

TEMPLATE = "directory/includes/result_card.html"


def result_cards(hits: list[Hit], *, unit: str, stamp: str | None) -> list[SafeString]:
    """The cards for `hits`, in order; kept in the cache when `stamp` is given."""
    template = get_template(TEMPLATE)
    statuses = [hit.location.open_status for hit in hits]
    keys = [
        _key(hit, status, unit=unit, stamp=stamp)
        for hit, status in zip(hits, statuses, strict=True)
    ]
    found = cache.get_many(keys) if stamp is not None else {}
    missing = [index for index, key in enumerate(keys) if key not in found]
    add_details([hits[index] for index in missing])
    rendered = {
        keys[index]: template.render(
            {"hit": hits[index], "unit": unit, "open_status": statuses[index]}
        )
        for index in missing
    }
    if stamp is not None and rendered:
        cache.set_many(rendered, settings.PAGE_CACHE_SECONDS)
    # Our own rendering, escaped by the template; the cache keeps it as plain text.
    return [mark_safe(found.get(key) or rendered[key]) for key in keys]


def _key(hit: Hit, status: OpenStatus | None, *, unit: str, stamp: str | None) -> str:
    parts = [
        stamp or "",
        get_language() or "",
        unit,
        str(hit.location.pk),
        distance_in(hit, unit),
        status.text if status else "",
        str(bool(status and status.open_now)),
    ]
    return "result-card:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
