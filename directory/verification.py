"""The public verification history of a listed practitioner's credentials."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from directory.models import Practitioner

# What the public sees of an event: never the staff member, never the reason (it can
# carry what the practitioner was told privately).
PUBLIC_EVENT_FIELDS = ["created_at", "from_status", "to_status", "source", "checked_on"]


def history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every recorded status change of the credentials the profile shows."""
    practitioner = get_object_or_404(Practitioner.objects.public_profiles(), slug=slug)
    credentials = [*practitioner.licenses_in_force, *practitioner.certifications_in_force]
    entries = [
        (credential, credential.events.only(*PUBLIC_EVENT_FIELDS).order_by("created_at", "pk"))
        for credential in credentials
    ]
    context = {"practitioner": practitioner, "entries": entries}
    return render(request, "directory/verification_history.html", context)
