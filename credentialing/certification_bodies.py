"""The certifying bodies practitioners choose from, and how free text written before the
vocabulary maps onto it. One spelling per body, so the search's certification filter
(directory.search.CERTIFICATIONS, which matches the body exactly) finds every holder.

A body not in the list is entered as "Other" with its name written out; the review queue
shows it to staff as a body to check (and, if it is real and common, to add here)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _

# Canonical spelling: what the form shows.
BODIES: dict[str, str] = {
    "NCCAOM": "NCCAOM (National Certification Commission for Acupuncture and Oriental Medicine)",
    "ABORM": "ABORM (American Board of Oriental Reproductive Medicine)",
    "AAMA": "AAMA (American Academy of Medical Acupuncture)",
}
OTHER = "other"

# Other ways the same bodies were written, compared without case, dots or spaces.
ALIASES: dict[str, str] = {
    "nationalcertificationcommissionforacupunctureandorientalmedicine": "NCCAOM",
    "americanboardoforientalreproductivemedicine": "ABORM",
    "americanacademyofmedicalacupuncture": "AAMA",
}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def canonical(text: str) -> str:
    """The vocabulary's spelling of `text` ("nccaom", "N.C.C.A.O.M." → "NCCAOM"), or ""
    when it names no body in the vocabulary."""
    key = _key(text)
    for body in BODIES:
        if key == _key(body):
            return body
    return ALIASES.get(key, "")


def choices() -> list[tuple[str, Any]]:
    return [("", _("Choose…")), *BODIES.items(), (OTHER, _("Other (write its name below)"))]
