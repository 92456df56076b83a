"""Countries and first-level subdivisions where Meridian lists practitioners.

A jurisdiction is a country (ISO 3166-1 alpha-2) plus, where licensing is regional, the
subdivision part of its ISO 3166-2 code: US-CA is country "US", region "CA". A license with
no region (a national register such as AHPRA or the CNHC) covers the whole country.
"""

from __future__ import annotations

from typing import cast

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

COUNTRIES: dict[str, str] = {
    "US": gettext_noop("United States"),
    "CA": gettext_noop("Canada"),
    "GB": gettext_noop("United Kingdom"),
    "AU": gettext_noop("Australia"),
    "NZ": gettext_noop("New Zealand"),
    "IE": gettext_noop("Ireland"),
}

# fmt: off
REGIONS: dict[str, dict[str, str]] = {
    "US": {
        "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas",
        "CA": "California", "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware",
        "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii",
        "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
        "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
        "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
        "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
        "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
        "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
        "OR": "Oregon", "PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island",
        "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
        "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
        "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    },
    "CA": {
        "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
        "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
        "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
        "SK": "Saskatchewan", "YT": "Yukon",
    },
    "GB": {"ENG": "England", "NIR": "Northern Ireland", "SCT": "Scotland", "WLS": "Wales"},
    "AU": {
        "ACT": "Australian Capital Territory", "NSW": "New South Wales",
        "NT": "Northern Territory", "QLD": "Queensland", "SA": "South Australia",
        "TAS": "Tasmania", "VIC": "Victoria", "WA": "Western Australia",
    },
    "NZ": {},
    "IE": {},
}
# fmt: on

# Each country's currency (ISO 4217), and how a price in it is written.
CURRENCIES = {"US": "USD", "CA": "CAD", "GB": "GBP", "AU": "AUD", "NZ": "NZD", "IE": "EUR"}
CURRENCY_SYMBOLS = {"USD": "$", "CAD": "CA$", "GBP": "£", "AUD": "A$", "NZD": "NZ$", "EUR": "€"}

# English names stay in COUNTRIES (the gazetteer matches typed text against them); the
# choices show each name in the visitor's language, in the English alphabetical order.
# (Typed as str: a lazy label is a str wherever Django shows it.)
COUNTRY_CHOICES: list[tuple[str, str]] = [
    (country, cast(str, _(name)))
    for country, name in sorted(COUNTRIES.items(), key=lambda item: item[1])
]


def is_known(country: str, region: str) -> bool:
    """True for a listed country with no region, or one of its listed regions."""
    return country in COUNTRIES and (region == "" or region in REGIONS[country])


def code(country: str, region: str) -> str:
    """ISO 3166-2 style code: 'US-CA', or just 'GB' for a whole country."""
    return f"{country}-{region}" if region else country


def label(country: str, region: str) -> str:
    """Human name: 'California, United States', or 'United Kingdom' for a whole country."""
    country_name = gettext(COUNTRIES[country]) if country in COUNTRIES else country
    if not region:
        return country_name
    return f"{REGIONS.get(country, {}).get(region, region)}, {country_name}"


def validate(country: str, region: str, *, region_required: bool) -> None:
    """Raise ValidationError (on `country` or `region`) unless Meridian lists this place."""
    if country not in COUNTRIES:
        raise ValidationError(
            {
                "country": gettext("Meridian does not list practitioners in %(country)s.")
                % {"country": repr(country)}
            }
        )
    regions = REGIONS[country]
    if region and region not in regions:
        raise ValidationError(
            {
                "region": gettext("%(region)s is not a region of %(country)s.")
                % {"region": repr(region), "country": gettext(COUNTRIES[country])}
            }
        )
    if region_required and regions and not region:
        raise ValidationError({"region": gettext("Choose the state, province or nation.")})


def parse(value: str) -> tuple[str, str]:
    """'US-CA' to ('US', 'CA'), 'GB' to ('GB', ''); ValidationError if unknown."""
    country, _, region = value.strip().upper().partition("-")
    if not is_known(country, region):
        raise ValidationError(
            gettext("%(value)s is not a jurisdiction Meridian lists (use a code like US-CA or GB).")
            % {"value": repr(value)},
            code="unknown_jurisdiction",
        )
    return country, region
