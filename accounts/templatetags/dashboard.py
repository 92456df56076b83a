from __future__ import annotations

import datetime

from django import template
from django.urls import reverse
from django.utils.translation import ngettext

from accounts.middleware import staff_next
from credentialing.models import Certification, License

register = template.Library()


@register.simple_tag
def credential_url(credential: License | Certification, action: str) -> str:
    """The dashboard URL to "edit" a credential or download its "document"."""
    names = {"edit": credential.edit_url_name, "document": credential.document_url_name}
    return reverse(
        names[action],
        kwargs={"slug": credential.practitioner.slug, "public_id": credential.public_id},
    )


@register.filter
def duration_words(duration: datetime.timedelta) -> str:
    """A review time in words: whole days from a day on, hours below it ("about 2 days")."""
    days = round(duration.total_seconds() / 86400)
    if days >= 1:
        return ngettext("about %(n)d day", "about %(n)d days", days) % {"n": days}
    hours = max(1, round(duration.total_seconds() / 3600))
    return ngettext("about %(n)d hour", "about %(n)d hours", hours) % {"n": hours}


@register.simple_tag(takes_context=True)
def staff_next_url(context: template.Context) -> str:
    """Where a new reviewer was going before setting up TOTP (see accounts.middleware)."""
    request = context.get("request")
    return staff_next(request) if request is not None else ""
