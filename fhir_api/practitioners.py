"""Practitioner resources: names, identifiers, languages, a qualification for each license
and certification in force, with NDH's status and where-valid extension, and their booking
pages as endpoints."""

from __future__ import annotations

from fhir_api import issuers, selectors, systems
from fhir_api.meta import with_meta
from fhir_api.practices import endpoint_reference


def practitioner_resource(practitioner) -> dict:
    """`practitioner` comes from selectors.load_practitioners (credentials and booking pages
    prefetched). Each online booking page at one of the practitioner's listed clinics is one
    of their endpoints (NDH's endpoint extension), as it is the clinic's."""
    credentials = [*practitioner.licenses_in_force, *practitioner.certifications_in_force]
    resource = {
        "resourceType": "Practitioner",
        "id": practitioner.slug,
        # Listed only while a license checked against its primary source is in force.
        "extension": [systems.verification_status("complete")],
        "identifier": identifiers(practitioner),
        "active": True,
        "name": [name(practitioner)],
        "qualification": [qualification(credential) for credential in credentials],
    }
    resource["extension"] += [
        {"url": systems.NDH_ENDPOINT_REFERENCE, "valueReference": endpoint_reference(location)}
        for location in practitioner.booking_locations
    ]
    if practitioner.gender:
        resource["gender"] = systems.GENDERS[practitioner.gender]
    if practitioner.languages:
        resource["communication"] = communication(practitioner)
    if not resource["qualification"]:
        del resource["qualification"]
    if practitioner.photo:
        resource["photo"] = [photo(practitioner)]
    return with_meta(
        resource,
        last_updated=practitioner.last_updated,
        profile=systems.NDAPI_PROFILE["Practitioner"],
    )


def communication(practitioner) -> list[dict]:
    """The languages the practitioner speaks with patients (BCP 47, with their names)."""
    return [
        {"coding": [systems.coding(systems.BCP47, code)], "text": label}
        for code, label in zip(practitioner.languages, practitioner.language_names, strict=True)
    ]


def photo(practitioner) -> dict:
    """The largest of the photo's files (directory.photos), by its address."""
    url = practitioner.photo_urls[-1]["url"]  # a path, or absolute from object storage
    return {
        "contentType": "image/webp",
        "url": url if url.startswith(("https://", "http://")) else systems.site(url),
        "title": practitioner.full_name,
    }


def identifiers(practitioner) -> list[dict]:
    found = []
    for system, field in selectors.identifier_fields():
        value = getattr(practitioner, field, None)
        if not value:
            continue
        deactivated = field == "npi" and practitioner.npi_deactivated_on
        status = systems.identifier_status("inactive" if deactivated else "active")
        found.append(
            {"extension": [status], "use": "official", "system": system, "value": str(value)}
        )
        if deactivated:
            found[-1]["period"] = {"end": practitioner.npi_deactivated_on.isoformat()}
    return found


def name(practitioner) -> dict:
    found = {
        "use": "official",
        "text": practitioner.full_name,
        "family": practitioner.last_name,
        "given": [practitioner.first_name],
    }
    suffixes = [part.strip() for part in practitioner.credentials.split(",") if part.strip()]
    if suffixes:
        found["suffix"] = suffixes
    return found


def qualification(credential) -> dict:
    """One credential in force. Its element id is the credential's public UUID, which the
    matching VerificationResult points at."""
    found = {
        "id": str(credential.public_id),
        "extension": [
            {
                "url": systems.NDH_QUALIFICATION,
                "extension": [
                    {"url": "status", "valueCode": "active"},
                    *[
                        {"url": "whereValid", "valueCodeableConcept": place}
                        for place in where_valid(credential)
                    ],
                ],
            }
        ],
        "identifier": [{"value": credential.number}],
        "code": qualification_code(credential),
        "period": period(credential),
        "issuer": issuer_reference(credential),
    }
    return found


def qualification_code(credential) -> dict:
    """A license is a license to practise as an acupuncturist (NUCC's code, in NDH's
    IndividualSpecialtyAndDegreeLicenseCertificateVS); a certification has no code there, so
    only its text. qualification-code searches exactly these."""
    if selectors.is_license(credential):
        return systems.concept(
            systems.NUCC_TAXONOMY, *systems.ACUPUNCTURIST, text=credential_label(credential)
        )
    return {"text": credential_label(credential)}


def credential_label(credential) -> str:
    if selectors.is_license(credential):
        return f"{credential.license_type} license ({credential.jurisdiction_name})"
    return f"{credential.body} {credential.credential}"


def issuer_reference(credential) -> dict:
    """The issuer Organization (fhir_api.issuers) where Meridian publishes one, else only
    its name."""
    found = issuers.issuer_of(credential)
    if found is None:
        return {"display": issuer(credential)}
    return issuers.reference(found, issuer(credential))


def issuer(credential) -> str:
    return (
        selectors.primary_source_name(credential)
        if selectors.is_license(credential)
        else credential.body
    )


def period(credential) -> dict:
    found = {"end": credential.expires_on.isoformat()}
    if credential.issued_on:
        found = {"start": credential.issued_on.isoformat(), **found}
    return found


def where_valid(credential) -> list[dict]:
    """A US state license is valid in that state (NDH binds whereValid to USPS codes);
    elsewhere the ISO 3166 code says where; a certification names no place."""
    if not selectors.is_license(credential):
        return []
    if credential.country == "US" and credential.region:
        return [
            systems.concept(
                systems.USPS_STATE, credential.region, text=credential.jurisdiction_name
            )
        ]
    if credential.region:
        return [
            systems.concept(
                systems.ISO_3166_2, credential.jurisdiction, text=credential.jurisdiction_name
            )
        ]
    return [
        systems.concept(systems.ISO_3166, credential.country, text=credential.jurisdiction_name)
    ]
