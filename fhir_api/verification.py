"""VerificationResult resources in the shape of NDH's NdhVerification profile: one per
credential in force, saying what was checked (the practitioner's qualification), against
which primary source, when, and when it is checked again."""

from __future__ import annotations

from fhir_api import selectors, systems
from fhir_api.meta import with_meta
from fhir_api.practitioners import credential_label


def verification_resource(credential) -> dict:
    """`credential` comes from selectors.credentials_in_force (events prefetched)."""
    practitioner = credential.practitioner
    event = selectors.last_verification(credential)
    checked_on = credential.verified_on or (event.checked_on if event else None)
    status_date = event.created_at.date() if event else checked_on
    licensed = selectors.is_license(credential)
    source_type = ("lic-board", "License Board") if licensed else ("issuer", "Issuing source")
    primary_source = {
        "who": {"display": selectors.primary_source_name(credential)},
        "type": [systems.concept(systems.PRIMARY_SOURCE_TYPE, *source_type)],
        "communicationMethod": [systems.concept(systems.COMMUNICATION_METHOD, "manual", "Manual")],
        "validationStatus": systems.concept(systems.VALIDATION_STATUS, "successful", "Successful"),
    }
    if checked_on:
        primary_source["validationDate"] = checked_on.isoformat()
    resource = {
        "resourceType": "VerificationResult",
        "id": str(credential.public_id),
        "target": [
            {
                "reference": f"Practitioner/{practitioner.slug}",
                "display": f"{practitioner.full_name}: {credential_label(credential)}",
            }
        ],
        "targetLocation": [f"Practitioner.qualification.where(id = '{credential.public_id}')"],
        "need": systems.concept(systems.VERIFICATION_NEED, "periodic", "Periodic"),
        "status": "validated",
        "statusDate": (status_date or credential.updated_at.date()).isoformat(),
        "validationType": systems.concept(systems.VALIDATION_TYPE, "primary", "Primary Source"),
        "validationProcess": [
            systems.concept(systems.VALIDATION_PROCESS, "primary", "Primary Source")
        ],
        # A credential that fails its check leaves the listing (licenses) or loses its badge.
        "failureAction": systems.concept(systems.FAILURE_ACTION, "fatal", "Fatal"),
        "primarySource": [primary_source],
        "attestation": {
            "who": {
                "reference": f"Practitioner/{practitioner.slug}",
                "display": practitioner.full_name,
            },
            "communicationMethod": systems.concept(
                systems.COMMUNICATION_METHOD, "portal", "Portal"
            ),
            "date": credential.created_at.date().isoformat(),
        },
        "validator": [{"organization": {"display": "Meridian"}}],
        # Checked again within the re-verification cycle, and before it expires at the latest.
        "nextScheduled": credential.reverify_by().isoformat(),
    }
    if checked_on:
        resource["lastPerformed"] = checked_on.isoformat()
    return with_meta(
        resource,
        last_updated=selectors.credential_last_updated(credential),
        profile=systems.NDH_VERIFICATION_PROFILE,
    )
