"""Directory models: practitioners, their clinics with opening hours and the payers they
accept, organisations from NPPES, and places (the gazetteer and the geocoder's cache)."""

from directory.models.hours import OpeningInterval
from directory.models.insurance import Payer, PayerKind
from directory.models.location import (
    ACCESS_FIELDS,
    FEE_FIELDS,
    GeocodePrecision,
    Location,
    LocationQuerySet,
)
from directory.models.nppes_organisation import NppesOrganisation, NppesOrganisationQuerySet
from directory.models.places import GeocodedAddress, Place, PlaceKind
from directory.models.practitioner import (
    ACCEPTING_CURRENT_DAYS,
    DETAILS_CURRENT_DAYS,
    Gender,
    Practitioner,
    PractitionerQuerySet,
    slug_base,
    treats,
)

__all__ = [
    "ACCEPTING_CURRENT_DAYS",
    "ACCESS_FIELDS",
    "DETAILS_CURRENT_DAYS",
    "FEE_FIELDS",
    "Gender",
    "GeocodePrecision",
    "GeocodedAddress",
    "Location",
    "LocationQuerySet",
    "NppesOrganisation",
    "NppesOrganisationQuerySet",
    "OpeningInterval",
    "Payer",
    "PayerKind",
    "Place",
    "PlaceKind",
    "Practitioner",
    "PractitionerQuerySet",
    "slug_base",
    "treats",
]
