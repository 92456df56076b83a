from __future__ import annotations

from django import template
from django.urls import reverse

from directory.models import Certification, CredentialStatus, License

register = template.Library()


@register.filter
def decision_reason(credential: License | Certification) -> str:
    """Why a rejected or revoked credential was decided so (from its latest event)."""
    if credential.status not in {CredentialStatus.REJECTED, CredentialStatus.REVOKED}:
        return ""
    events = list(credential.events.all())  # prefetched in order by the dashboard
    return events[-1].reason if events else ""


@register.simple_tag
def credential_url(credential: License | Certification, action: str) -> str:
    """The dashboard URL to "edit" a credential or download its "document"."""
    noun = "license" if isinstance(credential, License) else "certification"
    return reverse(
        f"accounts:{noun}-{action}",
        kwargs={"slug": credential.practitioner.slug, "public_id": credential.public_id},
    )
