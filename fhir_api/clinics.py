"""Location and PractitionerRole resources. Meridian's Location row is one practitioner at
one clinic, so it is both: the place (Location) and the practitioner's role there
(PractitionerRole), under the same id."""

from __future__ import annotations

from directory import hours
from fhir_api import selectors, systems
from fhir_api.contact import address, telecom
from fhir_api.meta import with_meta
from fhir_api.practices import endpoint_reference


def location_resource(location) -> dict:
    """`location` comes from selectors.load_locations."""
    resource = {
        "resourceType": "Location",
        "id": selectors.location_id(location),
        "extension": [
            systems.verification_status("incomplete"),
            *new_patients_extensions(location.practitioner),
            *accessibility_extensions(location),
        ],
        "status": "active",
        "name": location_name(location),
        "mode": "instance",
        "telecom": telecom(location),
        "address": address(location),
    }
    if location.latitude is not None:
        resource["position"] = {"latitude": location.latitude, "longitude": location.longitude}
        resource["extension"].append(
            {
                "url": systems.geocode_precision_extension(),
                "valueCode": location.geocode_precision,
            }
        )
    if not resource["telecom"]:
        del resource["telecom"]
    opening = hours_of_operation(location.opening_intervals_list)
    if opening:
        resource["hoursOfOperation"] = opening
    if location.hours_note:
        resource["availabilityExceptions"] = location.hours_note
    resource["managingOrganization"] = organization_reference(location)
    if location.booking_url:
        resource["endpoint"] = [endpoint_reference(location)]
    return with_meta(
        resource, last_updated=location.last_updated, profile=systems.NDAPI_PROFILE["Location"]
    )


def accessibility_extensions(location) -> list[dict]:
    """NDH's accessibility, one per access feature the clinic says it has; public transport
    carries THO's code too, the others only Meridian's (no THO code says as little)."""
    found = []
    for field, (code, display, tho_code) in systems.ACCESSIBILITY.items():
        if not getattr(location, field):
            continue
        codings = [systems.coding(systems.accessibility_system(), code, display)]
        if tho_code:
            codings.insert(
                0,
                systems.coding(
                    systems.CARE_SERVICE_ACCESSIBILITY,
                    tho_code,
                    systems.THO_ACCESSIBILITY_DISPLAY[tho_code],
                ),
            )
        found.append(
            {"url": systems.NDH_ACCESSIBILITY, "valueCodeableConcept": {"coding": codings}}
        )
    return found


def organization_reference(location) -> dict:
    return {
        "reference": f"Organization/{selectors.location_id(location)}",
        "display": location.clinic_name or location.practitioner.full_name,
    }


def hours_of_operation(intervals: list[hours.Interval]) -> list[dict]:
    """R4 Location.hoursOfOperation: one entry per distinct (opens, closes), listing the
    days that keep it, in the clinic's local time as FHIR expects."""
    days: dict[tuple, list[str]] = {}
    for interval in sorted(intervals, key=lambda interval: (interval.opens, interval.weekday)):
        days.setdefault((interval.opens, interval.closes), []).append(
            hours.DAY_CODES[interval.weekday]
        )
    return [
        {
            "daysOfWeek": codes,
            "openingTime": opens.isoformat(timespec="seconds"),
            "closingTime": closes.isoformat(timespec="seconds"),
        }
        for (opens, closes), codes in days.items()
    ]


def role_resource(location) -> dict:
    practitioner = location.practitioner
    place_id = selectors.location_id(location)
    resource = {
        "resourceType": "PractitionerRole",
        "id": place_id,
        "extension": role_extensions(practitioner),
        "active": True,
        "practitioner": {
            "reference": f"Practitioner/{practitioner.slug}",
            "display": practitioner.full_name,
        },
        "code": [systems.concept(systems.NUCC_TAXONOMY, *systems.ACUPUNCTURIST)],
        "specialty": specialties(practitioner),
        "organization": organization_reference(location),
        "location": [{"reference": f"Location/{place_id}", "display": location_name(location)}],
        "healthcareService": [healthcare_service_reference(location)],
        "telecom": telecom(location),
    }
    if location.booking_url:
        resource["endpoint"] = [endpoint_reference(location)]
    if not resource["telecom"]:
        del resource["telecom"]
    return with_meta(
        resource,
        last_updated=location.last_updated,
        profile=systems.NDAPI_PROFILE["PractitionerRole"],
    )


def specialties(practitioner) -> list[dict]:
    """NUCC's Acupuncturist, then the techniques the practitioner offers (the role's and
    the service's specialties alike)."""
    return [
        systems.concept(systems.NUCC_TAXONOMY, *systems.ACUPUNCTURIST),
        *(
            systems.concept(systems.technique_system(), technique.slug, technique.name)
            for technique in practitioner.techniques.all()
        ),
    ]


def role_extensions(practitioner) -> list[dict]:
    """The new-patients answer; telehealth; and the conditions they treat."""
    # Listed only while a license checked against its primary source is in force.
    found = [systems.verification_status("complete"), *new_patients_extensions(practitioner)]
    found.append({"url": systems.telehealth_extension(), "valueBoolean": practitioner.telehealth})
    return found + conditions_treated(practitioner)


def conditions_treated(practitioner) -> list[dict]:
    return [
        {
            "url": systems.condition_extension(),
            "valueCodeableConcept": systems.concept(
                systems.condition_system(), condition.slug, condition.name
            ),
        }
        for condition in practitioner.conditions.all()
    ]


def healthcare_service_reference(location) -> dict:
    """The role's service: acupuncture by this practitioner at this clinic
    (fhir_api.healthcare_services), under the clinic's id."""
    return {
        "reference": f"HealthcareService/{selectors.location_id(location)}",
        "display": service_name(location),
    }


def service_name(location) -> str:
    practitioner = location.practitioner
    where = f"at {location.clinic_name}" if location.clinic_name else f"in {location.city}"
    return f"Acupuncture with {practitioner.full_name} {where}"


def new_patients_extensions(practitioner) -> list[dict]:
    """Plan-Net's newpatients while the practitioner's answer is recent (Meridian shows it
    for 90 days after they confirm it), with the day they confirmed it. A clinic row is
    one practitioner at one clinic, so the Location carries the same answer as the role."""
    if not practitioner.accepting_status_is_current():
        return []
    code = "newpt" if practitioner.accepting_new_patients else "nopt"
    display = "Accepting patients" if code == "newpt" else "Not accepting patients"
    return [
        {
            "url": systems.NEW_PATIENTS,
            "extension": [
                {
                    "url": "acceptingPatients",
                    "valueCodeableConcept": systems.concept(
                        systems.ACCEPTING_PATIENTS, code, display
                    ),
                }
            ],
        },
        {
            "url": systems.accepting_as_of_extension(),
            "valueDate": practitioner.accepting_new_patients_on.isoformat(),
        },
    ]


def location_name(location) -> str:
    return location.clinic_name or f"{location.practitioner.full_name}, {location.city}"
