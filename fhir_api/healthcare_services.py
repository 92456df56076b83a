"""HealthcareService resources: acupuncture by one practitioner at one clinic. A clinic row is
already that practitioner's Location, PractitionerRole and practice there, so the service is
the same row under the same id, provided by the practice at the Location; the role refers
to it. Only what Meridian holds is shown: no eligibility, program, referral or appointment
rules, which it does not record (a note such as "By appointment only" stays the clinic's own
words, in availabilityExceptions)."""

from __future__ import annotations

from fhir_api import selectors, systems
from fhir_api.clinics import (
    conditions_treated,
    hours_of_operation,
    location_name,
    new_patients_extensions,
    organization_reference,
    service_name,
    specialties,
)
from fhir_api.contact import telecom
from fhir_api.meta import with_meta
from fhir_api.practices import endpoint_reference
from fhir_api.practitioners import communication


def healthcare_service_resource(location) -> dict:
    """`location` comes from selectors.load_locations."""
    practitioner = location.practitioner
    place_id = selectors.location_id(location)
    resource = {
        "resourceType": "HealthcareService",
        "id": place_id,
        "extension": [
            systems.verification_status("incomplete"),
            *new_patients_extensions(practitioner),
            # Needles need the patient there: acupuncture is given in person, at the clinic.
            {
                "url": systems.NDH_DELIVERY_METHOD,
                "extension": [
                    {
                        "url": "deliveryMethodtype",
                        "valueCodeableConcept": systems.concept(
                            systems.DELIVERY_METHOD, "physical", "Physical"
                        ),
                    }
                ],
            },
            *conditions_treated(practitioner),
        ],
        "active": True,
        "providedBy": organization_reference(location),
        "category": [systems.concept(systems.NDH_SERVICE_CATEGORY, *systems.SERVICE_CATEGORY)],
        "type": [systems.concept(systems.SERVICE_TYPE, *systems.ACUPUNCTURE_SERVICE)],
        "specialty": specialties(practitioner),
        "location": [{"reference": f"Location/{place_id}", "display": location_name(location)}],
        "name": service_name(location),
        "telecom": telecom(location),
        "serviceProvisionCode": provision_conditions(location),
        "communication": communication(practitioner),
        "availableTime": available_time(location),
    }
    if location.hours_note:
        resource["availabilityExceptions"] = location.hours_note
    if location.booking_url:
        resource["endpoint"] = [endpoint_reference(location)]
    return with_meta(
        {key: value for key, value in resource.items() if value != []},
        last_updated=location.last_updated,
        profile=systems.NDAPI_PROFILE["HealthcareService"],
    )


def provision_conditions(location) -> list[dict]:
    """THO's service-provision-conditions from the clinic's prices: fees apply when it gave
    one, discounts are available when it has a sliding scale. A free first consultation
    does not make the service free, so it has no code."""
    found = []
    if location.first_visit_fee is not None or location.follow_up_fee is not None:
        found.append(systems.concept(systems.SERVICE_PROVISION, "cost", "Fees apply"))
    if location.sliding_scale:
        found.append(systems.concept(systems.SERVICE_PROVISION, "disc", "Discounts Available"))
    return found


def available_time(location) -> list[dict]:
    """The clinic's opening hours (this practitioner's, since a clinic row is theirs), as
    Location.hoursOfOperation gives them, in HealthcareService's element names."""
    return [
        {
            "daysOfWeek": hours["daysOfWeek"],
            "availableStartTime": hours["openingTime"],
            "availableEndTime": hours["closingTime"],
        }
        for hours in hours_of_operation(location.opening_intervals_list)
    ]
