"""Turn what a person typed into a point on the map. First hit wins:

1. coordinates typed as "lat, lng";
2. the offline gazetteer (directory.gazetteer: US ZIP codes, world cities);
3. an online geocoder through geopy (Nominatim), only when settings.GEOCODER is set; every
   answer, found or not, is cached in GeocodedAddress so a text is looked up once.

Clinic addresses go through `geocode_address`, which prefers the online geocoder (it can
place a street address) and falls back to the gazetteer's postal code or city. When the
online geocoder fails (times out, errs, answers garbage) rather than not knowing the
address, the answer says so, and the clinic is asked about again later
(`manage.py geocode_clinics`).
"""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory import addresses, gazetteer, place_aliases, postcodes
from directory.expressions import EarthPoint
from directory.models import GeocodedAddress, Place, PlaceKind

logger = logging.getLogger(__name__)

COORDINATES = re.compile(r"^\s*([-+]?\d{1,3}(?:\.\d+)?)\s*[,\s]\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$")
# Units where distances are usually given in miles.
MILES_COUNTRIES = {"US", "GB", "LR", "MM"}
# A point is named after the nearest town when one is this close ("near Portland, OR").
NAMED_TOWN_RADIUS_M = 30_000
COORDINATES_NOTE = _("measured from the exact point given")

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PlaceNotFound(Exception):
    """Nothing matched; the message says what was tried and what would work."""


class GeocoderFailed(Exception):
    """The online geocoder gave no usable answer (timeout, error, garbage): try again later."""


@dataclass(frozen=True)
class Geocode:
    latitude: float
    longitude: float
    precision: str  # a directory.models.GeocodePrecision value
    label: str
    country: str = ""
    # How the place was reached, when a patient should know ("we place street addresses by
    # their ZIP code"); and the other places the text may have meant ("Springfield").
    note: StrOrPromise = ""
    alternatives: tuple[Geocode, ...] = ()

    @property
    def default_unit(self) -> str:
        return "mi" if self.country in MILES_COUNTRIES else "km"


def geocode(text: str) -> Geocode:
    """Resolve a place typed by a patient: coordinates, ZIP/postcode, city or address.
    The order, and the precision each step reaches, are described in docs/places.md."""
    text = " ".join(text.split())
    if not text:
        raise PlaceNotFound(gettext("Enter a place: a ZIP or postcode, a city, or an address."))
    if match := COORDINATES.match(text):
        return _coordinates(float(match[1]), float(match[2]))
    if addresses.parse(text) and not place_aliases.refusal(text):
        # A street address: the online geocoder, where configured, places the building.
        try:
            if answer := geocode_online(text):
                return answer
        except GeocoderFailed:
            pass  # the offline ZIP code or town below still answers
    resolution = gazetteer.resolve(text)
    if resolution.refusal:
        raise PlaceNotFound(resolution.refusal)
    if (best := _acceptable(resolution, text)) is not None:
        alternatives = tuple(from_place(place) for place in resolution.alternatives)
        return replace(from_place(best), note=resolution.note, alternatives=alternatives)
    if message := postcodes.refusal(text):
        raise PlaceNotFound(message)
    if not addresses.parse(text):
        try:
            if answer := geocode_online(text):
                return answer
        except GeocoderFailed:
            pass  # for a patient, a geocoder that is away is a place not found: say what works
    raise PlaceNotFound(
        gettext(
            "We could not find “%(text)s”. Try a US ZIP code, a city (“Portland, ME”), "
            "or coordinates such as “40.71, -74.01”."
        )
        % {"text": text}
    )


def _acceptable(resolution: gazetteer.Resolution, text: str) -> Place | None:
    """The first candidate, unless it only starts with what was typed and that is too
    little to mean it: part of a postal code ("9720"), or a name under four letters."""
    if not resolution.candidates:
        return None
    best = resolution.candidates[0]
    too_little = best.place.kind == PlaceKind.POSTAL or len(text) < gazetteer.TYPO_MIN_LENGTH
    if best.closeness == gazetteer.STARTS_WITH and not resolution.note and too_little:
        return None
    return best.place


@dataclass(frozen=True)
class AddressGeocode:
    found: Geocode | None  # None when nothing places the address
    online_failed: bool = False  # the online geocoder failed: a later try may do better


def geocode_address(
    *, address: str, city: str, region: str, postal_code: str, country: str
) -> AddressGeocode:
    """Best point for a clinic address: the online geocoder's when it knows the address,
    otherwise the gazetteer's postal code or city. Never raises for a failing geocoder."""
    full = ", ".join(part for part in [address, city, f"{region} {postal_code}".strip()] if part)
    online_failed = False
    if address:
        try:
            if answer := geocode_online(f"{full}, {country}"):
                return AddressGeocode(answer)
        except GeocoderFailed:
            online_failed = True
    if country == "US" and postal_code and (place := gazetteer.find(postal_code[:5])):
        return AddressGeocode(from_place(place), online_failed)
    if city and (place := gazetteer.find(", ".join(p for p in [city, region, country] if p))):
        return AddressGeocode(from_place(place), online_failed)
    return AddressGeocode(None, online_failed)


def from_place(place: Place) -> Geocode:
    """The place's centre, at the precision of a postal code or a city."""
    return Geocode(
        latitude=place.latitude,
        longitude=place.longitude,
        precision="postal" if place.kind == PlaceKind.POSTAL else "city",
        label=place.label,
        country=place.country,
    )


def _coordinates(latitude: float, longitude: float) -> Geocode:
    """The point itself ("Use my location" sends one), named by the nearest town."""
    if not -90 <= latitude <= 90:
        raise PlaceNotFound(gettext("Latitude must be between -90 and 90."))
    if not -180 <= longitude <= 180:
        raise PlaceNotFound(gettext("Longitude must be between -180 and 180."))
    town = nearest_town(latitude, longitude)
    distance_m: float = getattr(town, "distance_m", math.inf)
    if town is None or distance_m > NAMED_TOWN_RADIUS_M:
        return Geocode(
            latitude=latitude,
            longitude=longitude,
            precision="rooftop",
            label=f"{latitude:.5f}, {longitude:.5f}",
            country=town.country if town is not None else "",
        )
    return Geocode(
        latitude=latitude,
        longitude=longitude,
        precision="rooftop",
        label=town.label,
        country=town.country,
        note=COORDINATES_NOTE,
    )


def nearest_town(latitude: float, longitude: float) -> Place | None:
    """The gazetteer's nearest city or town, read nearest first from its earthdistance
    index, with its `distance_m`; its country is good enough to choose km or miles."""
    origin = EarthPoint(latitude, longitude)
    return (
        Place.objects.filter(kind=PlaceKind.CITY)
        .annotate(distance_m=origin.distance())
        .order_by(origin.nearest_first())
        .first()
    )


def geocode_online(text: str) -> Geocode | None:
    """Ask the configured online geocoder, once per distinct text (answers are cached);
    None when it is not configured or does not know the place. A failure (timeout, error,
    garbage) raises GeocoderFailed and is not cached, so a later try may do better."""
    if not settings.GEOCODER:
        return None
    key = text.lower()[:300]
    cached = GeocodedAddress.objects.filter(query=key).first()
    if cached:
        if not cached.found:
            return None
        return Geocode(
            latitude=cached.latitude,
            longitude=cached.longitude,
            precision=cached.precision,
            label=cached.label,
            country=cached.country,
        )
    try:
        answer = _ask_geocoder(text)
    except Exception as error:  # geopy raises many kinds; none may break a page or a save
        # Not the text itself: it may be a patient's address typed into the search.
        logger.warning("Online geocoder failed: %s", type(error).__name__)
        raise GeocoderFailed(str(error)) from error
    GeocodedAddress.objects.get_or_create(
        query=key,
        defaults={
            "found": answer is not None,
            "latitude": answer.latitude if answer else None,
            "longitude": answer.longitude if answer else None,
            "precision": answer.precision if answer else "",
            "label": answer.label if answer else "",
            "country": answer.country if answer else "",
        },
    )
    return answer


def _ask_geocoder(text: str) -> Geocode | None:
    from geopy.adapters import URLLibAdapter
    from geopy.geocoders import Nominatim

    if settings.GEOCODER != "nominatim":
        raise ValueError(f"Unknown GEOCODER {settings.GEOCODER!r}; only 'nominatim' is supported")
    geocoder = Nominatim(
        user_agent=settings.GEOCODER_USER_AGENT,
        domain=settings.GEOCODER_DOMAIN,
        scheme=settings.GEOCODER_SCHEME,
        timeout=settings.GEOCODER_TIMEOUT,
        # The standard library's client, always: with `requests` installed geopy would
        # otherwise pick an adapter that retries, turning one timeout into three.
        adapter_factory=URLLibAdapter,
    )
    _wait_for_turn()
    location = geocoder.geocode(text, exactly_one=True, addressdetails=True)
    if location is None:
        return None
    raw = location.raw
    latitude, longitude = float(raw["lat"]), float(raw["lon"])
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(f"geocoder answered impossible coordinates {latitude}, {longitude}")
    country = (raw.get("address") or {}).get("country_code", "").upper()
    return Geocode(
        latitude=latitude,
        longitude=longitude,
        precision=_precision(raw),
        label=raw.get("display_name", text)[:300],
        country=country[:2],
    )


def _precision(raw: dict) -> str:
    kind, category = raw.get("addresstype") or raw.get("type", ""), raw.get("class", "")
    if kind in {"house", "building"} or category == "building" or raw.get("place_rank", 0) >= 28:
        return "rooftop"
    if category == "highway" or kind in {"road", "street"}:
        return "street"
    if kind == "postcode":
        return "postal"
    return "city"


def _wait_for_turn() -> None:
    """Nominatim's usage policy allows one request per second: wait for a free slot,
    shared by every process that shares the cache."""
    interval = settings.GEOCODER_MIN_INTERVAL
    if interval <= 0:
        return
    deadline = time.monotonic() + 5 * interval
    while not cache.add("geocoder:slot", True, timeout=math.ceil(interval)):
        if time.monotonic() > deadline:
            raise TimeoutError("the online geocoder is busy")
        time.sleep(interval / 10)
