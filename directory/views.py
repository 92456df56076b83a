from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from common.forms import form_status
from common.security import permissions_policy
from credentialing.access import is_reviewer
from credentialing.selectors import exclusion_checked_on
from directory import listing, photos
from directory import search as directory_search
from directory.cards import result_cards
from directory.forms import RADIUS_CHOICES, SearchForm
from directory.models import Practitioner
from directory.templatetags.search_tags import set_parameters
from evidence.models import Condition
from ops.http_cache import request_stamp

# Search parameters the filters panel does not show (the place has its own field above it).
NOT_IN_FILTERS = {"near", "page", "page_size"}


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@permissions_policy(geolocation=["self"])  # "Use my location"; every other page denies it
def search(request: HttpRequest) -> HttpResponse:
    """The search page. Plain GET form, so it works without JavaScript and every result
    page has a URL; htmx asks for just the results fragment when it is available. A search
    with a bad parameter answers 400, showing the form's messages.

    Addresses carry only the parameters that were set: a plain form submission with empty
    fields is redirected to its tidy URL, and htmx is told (HX-Push-Url) to push the tidy
    URL rather than the form's. Both answers vary on HX-Request, so Back after an in-place
    update gets the whole page, never the fragment."""
    htmx = bool(request.headers.get("HX-Request"))
    tidy = set_parameters(request.GET)
    if not htmx and tidy.urlencode() != request.GET.urlencode():
        response: HttpResponse = redirect(_search_url(tidy))
        patch_vary_headers(response, ["HX-Request"])
        return response
    if "near" in request.GET:
        form = SearchForm(request.GET)
    else:
        # Not searched yet, perhaps arriving pre-filtered (a condition page links here with
        # ?condition=migraine): fill the form in, and ask only for the place.
        form = SearchForm(initial=request.GET.dict())
    # What kept renderings are keyed by (ops.http_cache): read once, for all three.
    stamp = request_stamp(request) if settings.PAGE_CACHE_SECONDS else None
    context: dict[str, object] = {
        "form": form,
        "map_tiles": settings.MAP_TILES,
        "condition": _condition(request, form),
        "filters_key": None if htmx or stamp is None else _filters_key(request, form, stamp),
        "cache_seconds": settings.PAGE_CACHE_SECONDS,
    }
    if form.is_bound and form.is_valid():
        query = form.search_query()
        results = directory_search.search(
            query,
            page=form.cleaned_data["page"],
            page_size=form.cleaned_data["page_size"],
            details=False,  # result_cards loads them for the cards it renders
        )
        unit = form.cleaned_data["unit"]
        context.update(
            results=results,
            cards=result_cards(results.hits, unit=unit, stamp=stamp if results.hits else None),
            unit=unit,
            place=form.cleaned_data["near"],
            markers=_markers(results),
        )
        if not results.hits and results.page == 1:
            context["widen"] = _widen(query, unit, stamp)
    status = form_status(form)
    if htmx:
        context["htmx"] = True
        response = render(request, "directory/search_results.html", context, status=status)
        response["HX-Push-Url"] = _search_url(tidy)
    else:
        response = render(request, "directory/search.html", context, status=status)
    # One URL, two answers: a cache must not give Back the fragment in place of the page.
    patch_vary_headers(response, ["HX-Request"])
    return response


def practitioner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A public profile: only what the listing rule allows, otherwise 404. The owner and
    reviewers may preview a profile not listed yet, marked with the reason from the listing
    checklist; such a page is never cached by anyone and never indexed."""
    practitioner = Practitioner.objects.public_profiles().filter(slug=slug).first()
    preview, preview_reason = practitioner is None, ""
    if practitioner is None:
        practitioner = get_object_or_404(Practitioner.objects.previews(), slug=slug)
        user = request.user
        if not (user.is_authenticated and practitioner.owner_id == user.pk) and not is_reviewer(
            user
        ):
            raise Http404("No such profile.")
        preview_reason = listing.checklist(practitioner).reason
    context = {
        "practitioner": practitioner,
        "exclusion_checked_on": exclusion_checked_on(practitioner),
        "preview_reason": preview_reason,
        "preview": preview,
    }
    response = render(request, "directory/practitioner_detail.html", context)
    if preview:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


def photo(request: HttpRequest, name: str) -> FileResponse:
    """A photo file. Names are new for every upload, so a file never changes: browsers and
    caches may keep it for a year. Removed or replaced photos' files are gone (404)."""
    storage = photos.photo_storage()
    if not re.fullmatch(photos.NAME_PATTERN, name) or not storage.exists(name):
        raise Http404("No such photo.")
    response = FileResponse(storage.open(name, "rb"), content_type="image/webp")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _search_url(params: QueryDict) -> str:
    query = params.urlencode()
    return reverse("directory:search") + (f"?{query}" if query else "")


def _filters_key(request: HttpRequest, form: SearchForm, stamp: str) -> str | None:
    """The key under which the page keeps its filters panel rendered (seven menus of the
    directory's vocabulary: most of an uncached page's rendering), or None not to keep it.
    The panel shows the form's values, in the unit in use, in the page's language, from the
    vocabulary as of the directory's stamp (which every change to it moves); a form with
    errors is rendered each time."""
    if form.is_bound and not form.is_valid():
        return None
    shown = sorted(
        (name, value)
        for name, values in request.GET.lists()
        for value in values
        if name not in NOT_IN_FILTERS
    )
    unit = form.cleaned_data["unit"] if form.is_bound else ""
    parts = [stamp, get_language() or "", str(form.is_bound), unit, repr(shown)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def _condition(request: HttpRequest, form: SearchForm) -> Condition | None:
    """The condition searched for (the page names it), from the form when it checked it."""
    if form.is_bound and form.is_valid():
        return form.cleaned_data["condition"]
    return Condition.objects.filter(slug=request.GET.get("condition", "")).first()


def _widen(query: directory_search.SearchQuery, unit: str, stamp: str | None) -> dict[str, object]:
    """For an empty result: how far the nearest match is, and the radius that reaches it."""
    nearest = directory_search.nearest_match(query, stamp=stamp)
    if nearest.distance_km is None:
        return {"nearest": None, "looked_at_all": nearest.looked_at_all}
    per_unit = directory_search.KM_PER_MILE if unit == "mi" else 1
    distance = nearest.distance_km / per_unit
    choices = RADIUS_CHOICES[unit]
    radius = next((choice for choice in choices if choice >= distance), choices[-1])
    return {"nearest": distance, "radius": radius}


def _markers(results: directory_search.SearchPage) -> list[dict[str, object]]:
    return [
        {"number": number, "lat": hit.location.latitude, "lng": hit.location.longitude}
        for number, hit in enumerate(results.hits, start=results.first_number)
    ]
