"""The CMS NPI Registry's API (version 2.1 JSON), asked only when NPI_REGISTRY_URL is set,
to offer a practitioner what the public record already says about their NPI: name, practice
address, phone and the licenses listed beside their acupuncture taxonomy. What it answers is
self-reported to NPPES, so it only fills in forms; licenses still go to staff for
verification. Answers are cached (NPI_REGISTRY_CACHE_SECONDS); failures are not.

Standard library HTTP: one GET request needs no client library."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache

from common import jurisdictions

USER_AGENT = "Meridian directory (NPI look-up)"
_NO_RECORD = "none"


class RegistryUnavailable(Exception):
    """The registry could not be asked or gave no usable answer: try again later."""


@dataclass(frozen=True)
class RegistryLicense:
    jurisdiction: str  # "US-CA", as the dashboard's forms take it
    number: str
    taxonomy: str  # the NUCC description, e.g. "Acupuncturist"


@dataclass(frozen=True)
class RegistryRecord:
    npi: str
    first_name: str
    last_name: str
    credential: str
    address: str = ""
    city: str = ""
    jurisdiction: str = ""
    postal_code: str = ""
    phone: str = ""
    licenses: list[RegistryLicense] = field(default_factory=list)


def enabled() -> bool:
    return bool(settings.NPI_REGISTRY_URL)


def lookup(npi: str) -> RegistryRecord | None:
    """The registry's individual record for this (valid) NPI, or None when it has none."""
    key = f"npi-registry:{npi}"
    cached = cache.get(key)
    if cached == _NO_RECORD:
        return None
    if cached is not None:
        return _from_cache(cached)
    record = _ask(npi)
    cache.set(key, _NO_RECORD if record is None else asdict(record), _cache_seconds())
    return record


def _ask(npi: str) -> RegistryRecord | None:
    query = urllib.parse.urlencode({"number": npi, "version": "2.1"})
    request = urllib.request.Request(
        f"{settings.NPI_REGISTRY_URL}/?{query}",
        headers={"Accept": "application/json", "User-Agent": USER_AGENT},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NPI_REGISTRY_TIMEOUT) as response:
            answer = json.load(response)
    except urllib.error.HTTPError as error:
        raise RegistryUnavailable(f"the NPI Registry answered HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise RegistryUnavailable(f"the NPI Registry could not be reached ({reason})") from None
    except ValueError:
        raise RegistryUnavailable("the NPI Registry answered something other than JSON") from None
    if not isinstance(answer, dict):
        raise RegistryUnavailable("the NPI Registry's answer had an unknown shape")
    if answer.get("Errors"):
        # The registry reports a refused query as 200 with a list of errors.
        problems = "; ".join(str(e.get("description", "")) for e in answer["Errors"])
        raise RegistryUnavailable(f"the NPI Registry refused the query ({problems})")
    results = answer.get("results") or []
    individuals = [r for r in results if isinstance(r, dict) and r.get("number") == npi]
    if not individuals:
        return None
    try:
        return _record(individuals[0])
    except (AttributeError, KeyError, TypeError):
        raise RegistryUnavailable("the NPI Registry's answer had an unknown shape") from None


def _record(result: dict[str, Any]) -> RegistryRecord | None:
    if result.get("enumeration_type") != "NPI-1":
        return None  # an organisation's NPI: nothing to fill in on a practitioner's profile
    basic = result["basic"]
    location: dict[str, Any] = next(
        (a for a in result.get("addresses", []) if a.get("address_purpose") == "LOCATION"), {}
    )
    return RegistryRecord(
        npi=result["number"],
        first_name=_name(basic.get("first_name", "")),
        last_name=_name(basic.get("last_name", "")),
        credential=basic.get("credential", "").strip(),
        **_address(location),
        licenses=_licenses(result.get("taxonomies", [])),
    )


def _address(location: dict[str, Any]) -> dict[str, str]:
    country = location.get("country_code", "")
    if country != "US":
        return {}  # the dashboard places US practice addresses; others are typed by hand
    street = " ".join(
        part.strip() for part in (location.get("address_1"), location.get("address_2")) if part
    )
    postal_code = location.get("postal_code", "").strip()
    if len(postal_code) == 9 and postal_code.isdigit():
        postal_code = f"{postal_code[:5]}-{postal_code[5:]}"
    return {
        "address": street.title(),
        "city": location.get("city", "").strip().title(),
        "jurisdiction": _jurisdiction(location.get("state", "")),
        "postal_code": postal_code,
        "phone": location.get("telephone_number", "").strip(),
    }


def _licenses(taxonomies: list[dict[str, Any]]) -> list[RegistryLicense]:
    codes = set(settings.NPPES_TAXONOMY_CODES)
    found: list[RegistryLicense] = []
    for taxonomy in taxonomies:
        jurisdiction = _jurisdiction(taxonomy.get("state") or "")
        number = (taxonomy.get("license") or "").strip()
        if taxonomy.get("code") in codes and jurisdiction and number:
            license = RegistryLicense(jurisdiction, number, taxonomy.get("desc", "").strip())
            if license not in found:
                found.append(license)
    return found


def _jurisdiction(state: str) -> str:
    state = state.strip().upper()
    if state in jurisdictions.REGIONS["US"]:
        return jurisdictions.code("US", state)
    return ""


def _name(text: str) -> str:
    """The registry writes names in capitals; "O'BRIEN-SMITH" -> "O'Brien-Smith"."""
    return text.strip().title()


def _from_cache(data: dict[str, Any]) -> RegistryRecord:
    licenses = [RegistryLicense(**license) for license in data.pop("licenses")]
    return RegistryRecord(**data, licenses=licenses)


def _cache_seconds() -> int:
    return settings.NPI_REGISTRY_CACHE_SECONDS
