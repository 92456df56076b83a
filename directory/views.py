from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from directory.models import Certification, License, Location, Practitioner


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def search(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/search_placeholder.html")


def practitioner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A public profile: only what the listing rule allows, otherwise 404."""
    practitioners = Practitioner.objects.listable().prefetch_related(
        "conditions",
        "modalities",
        Prefetch("locations", queryset=Location.objects.listable(), to_attr="listable_locations"),
        Prefetch("licenses", queryset=License.objects.in_force(), to_attr="licenses_in_force"),
        Prefetch(
            "certifications",
            queryset=Certification.objects.in_force(),
            to_attr="certifications_in_force",
        ),
    )
    practitioner = get_object_or_404(practitioners, slug=slug)
    return render(request, "directory/practitioner_detail.html", {"practitioner": practitioner})
