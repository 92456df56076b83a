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
    found = {
        "use": "work",
        "type": "physical",
        "line": [location.address] if location.address else [],
        "city": location.city,
        "state": location.region,
        "postalCode": location.postal_code,
        "country": location.country,
    }
    return {key: value for key, value in found.items() if value}
