from __future__ import annotations

from django import template
from django.urls import reverse

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
