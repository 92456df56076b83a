from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from directory.models import Practitioner


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def search(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/search_placeholder.html")


def practitioner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A public profile: only what the listing rule allows, otherwise 404."""
    practitioner = get_object_or_404(Practitioner.objects.public_profiles(), slug=slug)
    return render(request, "directory/practitioner_detail.html", {"practitioner": practitioner})
