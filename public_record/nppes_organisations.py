"""NPPES organisations (entity type 2 with an acupuncture taxonomy) kept as NPPES publishes
them, keyed by NPI: nppes_import hands each row here with the practice address it may keep
(None outside Meridian's countries, as for a practitioner's clinic). Nobody claims an
organisation, so NPPES is the only writer: a row creates it or brings it up to date, a
deactivated NPI marks it, a later reactivation clears the mark. New ones are inserted
together at the end (flush), in the import's one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from directory.models import NppesOrganisation
from public_record.nppes import NppesRecord

CREATED, UPDATED, UNCHANGED, DEACTIVATED = "created", "updated", "unchanged", "deactivated"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, DEACTIVATED)
ADDRESS_FIELDS = (
    "address_line_1",
    "address_line_2",
    "city",
    "region",
    "postal_code",
    "country",
    "phone",
)


class OrganisationImport:
    def __init__(self, npis: Iterable[str]) -> None:
        # Those the file's rows name, read once; new ones join them, unsaved, until flush.
        self.known = {
            organisation.npi: organisation
            for organisation in NppesOrganisation.objects.filter(npi__in=set(npis))
        }

    def __contains__(self, npi: str) -> bool:
        return npi in self.known

    def apply(self, record: NppesRecord, *, address: dict[str, str] | None) -> str:
        """Create or update the organisation of an active entity type 2 row; the outcome."""
        fields: dict[str, object] = {
            "legal_name": record.organisation_name,
            "taxonomy_codes": list(dict.fromkeys(record.taxonomies)),
            "deactivated_on": None,
            **(address or dict.fromkeys(ADDRESS_FIELDS, "")),
        }
        organisation = self.known.get(record.npi)
        if organisation is None:
            self.known[record.npi] = NppesOrganisation(npi=record.npi, **fields)
            return CREATED
        return UPDATED if _changed(organisation, fields) else UNCHANGED

    def deactivate(self, npi: str, day: datetime.date | None) -> str:
        organisation = self.known[npi]
        if day is None or organisation.deactivated_on == day:
            return UNCHANGED
        _changed(organisation, {"deactivated_on": day})
        return DEACTIVATED

    def flush(self) -> None:
        new = [organisation for organisation in self.known.values() if organisation.pk is None]
        NppesOrganisation.objects.bulk_create(new)


def _changed(organisation: NppesOrganisation, fields: dict[str, object]) -> bool:
    """Set what differs; saved at once when the organisation exists (else at flush)."""
    changed = [name for name, value in fields.items() if getattr(organisation, name) != value]
    for name in changed:
        setattr(organisation, name, fields[name])
    if changed and organisation.pk is not None:
        organisation.save(update_fields=[*changed, "updated_at"])
    return bool(changed)
