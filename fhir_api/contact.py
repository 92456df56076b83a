"""How a clinic is reached, as Location, PractitionerRole and Organization all show it."""

from __future__ import annotations


def telecom(location) -> list[dict]:
    found = []
    if location.phone:
        found.append({"system": "phone", "value": location.phone, "use": "work"})
    if location.website:
        found.append({"system": "url", "value": location.website, "use": "work"})
    return found


def address(location) -> dict:
    return postal_address([location.address], location)


def postal_address(lines: list[str], place) -> dict:
    """A work address from its street lines and the place's city, region, postal code and
    country (a clinic's, or an NPPES organisation's); empty parts left out."""
    found = {
        "use": "work",
        "type": "physical",
        "line": [line for line in lines if line],
        "city": place.city,
        "state": place.region,
        "postalCode": place.postal_code,
        "country": place.country,
    }
    return {key: value for key, value in found.items() if value}
