"""The URLs that name things in FHIR: HL7's code systems and extensions, and Meridian's own,
which live under the site's address (SITE_URL)."""

from __future__ import annotations

from django.conf import settings

FHIR_VERSION = "4.0.1"
CONTENT_TYPE = "application/fhir+json"

NPI = "http://hl7.org/fhir/sid/us-npi"
UCUM = "http://unitsofmeasure.org"
BCP47 = "urn:ietf:bcp:47"
NUCC_TAXONOMY = "http://nucc.org/provider-taxonomy"
ACUPUNCTURIST = ("171100000X", "Acupuncturist")
USPS_STATE = "https://www.usps.com/"
ISO_3166_2 = "urn:iso:std:iso:3166:-2"
ISO_3166 = "urn:iso:std:iso:3166"

LOCATION_DISTANCE = "http://hl7.org/fhir/StructureDefinition/location-distance"
# NDH 1.0.0 (STU1): status and where valid on Practitioner.qualification.
NDH = "http://hl7.org/fhir/us/ndh"
NDH_QUALIFICATION = f"{NDH}/StructureDefinition/base-ext-practitioner-qualification"
NDH_VERIFICATION_PROFILE = f"{NDH}/StructureDefinition/ndh-Verification"
# NDH's National Directory API profiles, claimed in meta.profile where the resource has
# what they require (meta.lastUpdated, verification-status, identifier-status).
NDAPI_PROFILE = {
    kind: f"{NDH}/StructureDefinition/ndh-ndapi-{kind}"
    for kind in [
        "Practitioner",
        "PractitionerRole",
        "Location",
        "Organization",
        "Endpoint",
        "HealthcareService",
    ]
}
NDH_VERIFICATION_STATUS = f"{NDH}/StructureDefinition/base-ext-verification-status"
NDH_VERIFICATION_STATUS_CS = f"{NDH}/CodeSystem/NdhVerificationStatusCS"
NDH_IDENTIFIER_STATUS = f"{NDH}/StructureDefinition/base-ext-identifier-status"
NDH_CONNECTION_TYPE = f"{NDH}/CodeSystem/NdhEndpointConnectionTypeCS"
CONNECTION_TYPE = "http://terminology.hl7.org/CodeSystem/endpoint-connection-type"
# NDH's Endpoint extensions for the directory's own FHIR base: its FHIR version (bound,
# extensibly, to FHIR's FHIR-version value set) and how access to it is controlled.
NDH_CONNECTION_TYPE_VERSION = f"{NDH}/StructureDefinition/base-ext-endpoint-connection-type-version"
FHIR_VERSION_CS = "http://hl7.org/fhir/FHIR-version"
NDH_ACCESS_CONTROL_MECHANISM = f"{NDH}/StructureDefinition/base-ext-endpointAccessControlMechanism"
NDH_ACCESS_CONTROL_MECHANISM_CS = f"{NDH}/CodeSystem/EndpointAccessControlMechanismCS"
# HealthcareService: NDH's categories (THO), THO's service types (13 is Acupuncture), how a
# service is delivered (NDH's delivery-method extension) and the conditions of its provision.
NDH_SERVICE_CATEGORY = "http://terminology.hl7.org/CodeSystem/ndh-healthcare-service-category"
SERVICE_CATEGORY = ("prov", "Medical Provider")
SERVICE_TYPE = "http://terminology.hl7.org/CodeSystem/service-type"
ACUPUNCTURE_SERVICE = ("13", "Acupuncture")
NDH_DELIVERY_METHOD = f"{NDH}/StructureDefinition/base-ext-delivery-method"
DELIVERY_METHOD = "http://terminology.hl7.org/CodeSystem/service-delivery-method"
SERVICE_PROVISION = "http://terminology.hl7.org/CodeSystem/service-provision-conditions"
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
ADMINISTRATIVE_GENDER = "http://hl7.org/fhir/administrative-gender"
# Practitioner.gender for the category the practitioner chose to show patients, who filter
# by it (directory.models.Gender); their own words, when given, are for the profile page.
GENDERS = {"woman": "female", "man": "male", "nonbinary": "other", "another": "other"}
CREDENTIAL_STATUS = "http://terminology.hl7.org/CodeSystem/professional-credential-status"
PLAN_NET = "http://hl7.org/fhir/us/davinci-pdex-plan-net"
NEW_PATIENTS = f"{PLAN_NET}/StructureDefinition/newpatients"
ACCEPTING_PATIENTS = f"{PLAN_NET}/CodeSystem/AcceptingPatientsCS"
# NDH's accessibility extension, bound (extensibly) to THO's care-service-accessibility.
NDH_ACCESSIBILITY = f"{NDH}/StructureDefinition/base-ext-accessibility"
NDH_ENDPOINT_REFERENCE = f"{NDH}/StructureDefinition/base-ext-endpoint-reference"
CARE_SERVICE_ACCESSIBILITY = "http://terminology.hl7.org/CodeSystem/care-service-accessibility"
# A clinic's access features (directory.models.location.ACCESS_FIELDS): Meridian's code and
# display, and THO's code where one says the same thing (only public transport does).
ACCESSIBILITY = {
    "step_free_entrance": ("step-free-entrance", "Step-free entrance", ""),
    "accessible_toilet": ("accessible-toilet", "Accessible toilet", ""),
    "parking": ("parking", "Parking", ""),
    "near_public_transport": ("near-public-transport", "Near public transport", "pubtrans"),
}
THO_ACCESSIBILITY_DISPLAY = {"pubtrans": "public transit options"}

VERIFICATION_NEED = "http://terminology.hl7.org/CodeSystem/need"
VALIDATION_TYPE = "http://terminology.hl7.org/CodeSystem/validation-type"
VALIDATION_PROCESS = "http://terminology.hl7.org/CodeSystem/validation-process"
FAILURE_ACTION = "http://terminology.hl7.org/CodeSystem/failure-action"
PRIMARY_SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/primary-source-type"
VALIDATION_STATUS = "http://terminology.hl7.org/CodeSystem/validation-status"
COMMUNICATION_METHOD = (
    "http://terminology.hl7.org/CodeSystem/verificationresult-communication-method"
)
ISSUE_TYPE = "http://hl7.org/fhir/issue-type"


def verification_status(code: str) -> dict:
    """NDH's verification-status: `complete` where Meridian's staff checked the resource's
    facts against a primary source (a practitioner's license), `incomplete` elsewhere."""
    display = {"complete": "Complete", "incomplete": "Incomplete"}[code]
    return {
        "url": NDH_VERIFICATION_STATUS,
        "valueCodeableConcept": concept(NDH_VERIFICATION_STATUS_CS, code, display),
    }


def identifier_status(code: str = "active") -> dict:
    return {"url": NDH_IDENTIFIER_STATUS, "valueCode": code}


def site(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def profile_identifier() -> str:
    """The system of the identifier every practitioner has: their Meridian profile slug."""
    return site("/practitioners/")


def technique_system() -> str:
    return site("/fhir/CodeSystem/technique")


def accessibility_system() -> str:
    """Meridian's own codes for a clinic's access features (directory ACCESS_FIELDS): THO's
    codes are broader claims (handicap accessible, ADA compliant) than a step-free entrance."""
    return site("/fhir/CodeSystem/accessibility")


def condition_system() -> str:
    return site("/fhir/CodeSystem/condition")


def telehealth_extension() -> str:
    return site("/fhir/StructureDefinition/telehealth")


def condition_extension() -> str:
    return site("/fhir/StructureDefinition/condition-treated")


def coding(system: str, code: str, display: str = "") -> dict:
    found = {"system": system, "code": code}
    if display:
        found["display"] = display
    return found


def concept(system: str, code: str, display: str = "", text: str = "") -> dict:
    found: dict = {"coding": [coding(system, code, display)]}
    if text:
        found["text"] = text
    return found


def accepting_as_of_extension() -> str:
    return site("/fhir/StructureDefinition/newpatients-as-of")


def geocode_precision_extension() -> str:
    return site("/fhir/StructureDefinition/geocode-precision")
