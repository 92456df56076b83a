"""The NPPES import: practitioners, their practice location and their self-reported
licenses from the NPPES file (as public_record.nppes reads it), keyed by NPI, and the
organisations holding an acupuncture taxonomy (public_record.nppes_organisations). Licenses
enter through credentialing's rulebook as pending ("NPPES (self-reported)").

Rules: an imported profile starts unclaimed and published (it lists once a license of its
is verified). A claimed profile is never overwritten: NPPES fills only its blanks and every
other difference becomes a Discrepancy for staff. A deactivated NPI takes the practitioner
out of search from its deactivation date; a reactivation brings them back. An organisation
is kept as NPPES describes it, and deactivated with its NPI. The whole file is one
transaction, so a failure part-way changes nothing."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction

from common import jurisdictions
from common.bulk import copy_rows
from credentialing.models import License
from credentialing.rules import Actor, credentials_enter
from credentialing.source_models import Discrepancy, DiscrepancyKind, ImportedFile, SourceKind
from directory import gazetteer, geocoding
from directory.models import GeocodePrecision, Location, NppesOrganisation, Practitioner, slug_base
from public_record import nppes, nppes_organisations
from public_record.nppes import NppesRecord, SelfReportedLicense

NPPES_SOURCE = "NPPES (self-reported)"
LICENSE_TYPE = "Acupuncturist"  # NUCC 171100000X; NPPES names no license type
SELF_REPORTED = "Self-reported in NPPES; not yet checked with the board."
MESSAGES_KEPT = 50  # malformed-row messages listed in the summary; all are counted

# A table row by field attname, as copy_rows and the rulebook's bulk entry take it.
Row = dict[str, Any]


@dataclass
class ImportReport:
    file_date: datetime.date
    read: int = 0
    kept: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    discrepancies: int = 0
    licenses_added: int = 0
    # Organisations (entity type 2) by outcome: created, updated, unchanged, deactivated.
    organisations: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def skip(self, reason: str, message: str = "") -> None:
        self.skipped[reason] += 1
        if message and len(self.problems) < MESSAGES_KEPT:
            self.problems.append(message)

    @property
    def counts(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "kept": self.kept,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": dict(sorted(self.skipped.items())),
            "organisations": {
                outcome: self.organisations[outcome] for outcome in nppes_organisations.OUTCOMES
            },
            "licenses_added": self.licenses_added,
            "discrepancies": self.discrepancies,
        }

    def summary(self) -> str:
        skipped = sum(self.skipped.values())
        reasons = ", ".join(f"{reason}: {n}" for reason, n in sorted(self.skipped.items()))
        return (
            f"NPPES file of {self.file_date:%Y-%m-%d}: {self.read} rows read, {self.kept} kept; "
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{skipped} skipped{f' ({reasons})' if reasons else ''}; organisations: "
            + ", ".join(f"{self.organisations[o]} {o}" for o in nppes_organisations.OUTCOMES)
            + f"; {self.licenses_added} licenses added as pending; {self.discrepancies} new "
            "discrepancies for staff."
        )


Progress = Callable[[int, int], None]


def nppes_import(
    *, path: Path, file_date: datetime.date | None = None, progress: Progress | None = None
) -> ImportReport:
    """Import one NPPES file (zip, CSV, or weekly file). Raises NppesFileError, having
    written nothing, for a file that is not NPPES data."""
    codes = settings.NPPES_TAXONOMY_CODES
    day = file_date or nppes.file_date(path) or datetime.date.today()
    report = ImportReport(file_date=day)
    with nppes.opened(path) as csv_path:
        header = nppes.check_header(csv_path)
        known = [
            *Practitioner.objects.exclude(npi="").values_list("npi", flat=True),
            *NppesOrganisation.objects.values_list("npi", flat=True),
        ]
        wanted = nppes.scan(csv_path, header=header, codes=codes, known_npis=known)
        # Counting the rows reads the file's bytes while Polars parses it (both outside
        # the interpreter's lock), so the count costs no time of its own on a spare core.
        with ThreadPoolExecutor(max_workers=1) as counter:
            counting = counter.submit(nppes.count_rows, csv_path)
            try:
                kept = wanted.collect(engine="streaming")
            except pl.exceptions.PolarsError as error:
                raise nppes.NppesFileError(f"{path.name}: cannot be read as CSV: {error}") from None
            total = counting.result()
    report.read, report.kept = total, kept.height
    items = list(nppes.records(kept, header=header, codes=codes))
    importer = _Importer(report, actor=Actor.process(f"NPPES file of {day:%Y-%m-%d}"), items=items)
    with transaction.atomic():
        importer.file = ImportedFile.objects.create(
            source=SourceKind.NPPES, name=path.name, file_date=day
        )
        for done, record in enumerate(items, start=1):
            importer.apply(record)
            if progress:
                progress(done, report.kept)
        importer.flush()
        importer.organisations.flush()
        importer.file.counts = report.counts
        importer.file.save(update_fields=["counts"])
    return report


BATCH = 500  # new practitioners inserted together


class _Importer:
    def __init__(
        self, report: ImportReport, *, actor: Actor, items: list[NppesRecord | nppes.MalformedRow]
    ) -> None:
        self.report, self.actor = report, actor
        self.file: ImportedFile | None = None
        self.slugs = set(Practitioner.objects.values_list("slug", flat=True))
        records = [item for item in items if isinstance(item, NppesRecord)]
        # What the rows need from the database, read once rather than row by row.
        self.existing = {
            practitioner.npi: practitioner
            for practitioner in Practitioner.objects.filter(
                npi__in=[record.npi for record in records]
            ).prefetch_related("locations", "licenses")
        }
        numbers = {_normalise(lic.number) for record in records for lic in record.licenses}
        self.taken = set(
            License.objects.filter(country="US", number__in=numbers).values_list("region", "number")
        )
        self.places: dict[tuple[str, ...], geocoding.Geocode | None] = {}
        # New practitioners waiting to be inserted, as rows (see flush): each with its
        # clinic's row (or None) and its licenses' rows.
        self.new: list[tuple[Row, Row | None, list[Row]]] = []
        self.new_npis: set[str] = set()
        self.organisations = nppes_organisations.OrganisationImport(r.npi for r in records)

    def apply(self, record: NppesRecord | nppes.MalformedRow) -> None:
        report = self.report
        if isinstance(record, nppes.MalformedRow):
            report.skip("malformed", str(record))
            return
        if too_long := _too_long(record):
            report.skip("malformed", f"line {record.line}: NPI {record.npi}: {too_long}")
            return
        if record.npi in self.new_npis:
            self.flush()  # the same NPI twice in one file: the second row sees the first
            self.existing.update(
                (practitioner.npi, practitioner)
                for practitioner in Practitioner.objects.filter(npi=record.npi).prefetch_related(
                    "locations", "licenses"
                )
            )
        practitioner = self.existing.get(record.npi)
        if record.deactivation is not None or not record.entity_type:
            if practitioner is None and record.npi not in self.organisations:
                report.skip("deactivated NPI not in Meridian")
            if practitioner is not None:
                self._count(self._deactivate(practitioner, record))
            if record.npi in self.organisations:
                day = record.deactivation or record.deactivated_on
                report.organisations[self.organisations.deactivate(record.npi, day)] += 1
            return
        if not record.is_individual:
            self._organisation(record)
            return
        if practitioner is None:
            self._create(record)
            report.created += 1
            return
        changed = self._reactivate(practitioner)
        if practitioner.owner_id is None:
            changed |= self._update(practitioner, record)
        else:
            changed |= self._fill_blanks(practitioner, record)
        self._count(changed)

    def _organisation(self, record: NppesRecord) -> None:
        """An organisation with the taxonomy: kept, with its practice address where
        Meridian lists the country and region (else, as for a practitioner, without it)."""
        address = _organisation_address(record) if _listed_region(record) else None
        if address is None:
            self.report.skip("address outside Meridian's countries (organisation kept)")
        outcome = self.organisations.apply(record, address=address)
        self.report.organisations[outcome] += 1

    def _count(self, changed: bool) -> None:
        if changed:
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def _deactivate(self, practitioner: Practitioner, record: NppesRecord) -> bool:
        day = record.deactivation or record.deactivated_on
        if day is None or practitioner.npi_deactivated_on == day:
            return False
        practitioner.npi_deactivated_on = day
        practitioner.npi_deactivation_note = (
            f"{self.actor.system}: NPI deactivated on {day:%Y-%m-%d}"
        )
        practitioner.save(update_fields=["npi_deactivated_on", "npi_deactivation_note"])
        return True

    def _reactivate(self, practitioner: Practitioner) -> bool:
        if practitioner.npi_deactivated_on is None:
            return False
        practitioner.npi_deactivated_on = None
        practitioner.npi_deactivation_note = f"{self.actor.system}: NPI active again"
        practitioner.save(update_fields=["npi_deactivated_on", "npi_deactivation_note"])
        return True

    def _create(self, record: NppesRecord) -> None:
        details = _details(record)
        practitioner = {
            "npi": record.npi,
            "slug": self._slug(details, record.npi),
            "published": True,
            **details,
        }
        location = self._location(record)
        if location is None:
            self.report.skip("address outside Meridian's countries (practitioner kept)")
        licenses = self._licenses_to_add(record, held=set())
        self.new.append((practitioner, location, licenses))
        self.new_npis.add(record.npi)
        if len(self.new) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Insert the new practitioners gathered so far, their clinics and their licenses
        (through the rulebook's bulk entry, each license with its event)."""
        if not self.new:
            return
        keys = copy_rows(Practitioner, [practitioner for practitioner, _, _ in self.new])
        locations: list[Row] = []
        licenses: list[Row] = []
        for key, (_, location, held) in zip(keys, self.new, strict=True):
            if location is not None:
                locations.append({**location, "practitioner_id": key})
            licenses.extend({**license, "practitioner_id": key} for license in held)
        copy_rows(Location, locations)
        self._enter(licenses)
        self.new.clear()
        self.new_npis.clear()

    def _update(self, practitioner: Practitioner, record: NppesRecord) -> bool:
        details = _details(record)
        changed = [name for name, value in details.items() if getattr(practitioner, name) != value]
        for name in changed:
            setattr(practitioner, name, details[name])
        if changed:
            practitioner.save(update_fields=[*changed, "updated_at"])
        fresh = self._location(record)
        locations = list(practitioner.locations.all())
        if fresh is not None and not locations:
            Location.objects.create(practitioner=practitioner, **fresh)
            changed.append("location")
        elif fresh is not None and _address(vars(locations[0])) != _address(fresh):
            # The address NPPES gives, in place: the clinic keeps its name, site, hours...
            for name, value in fresh.items():
                setattr(locations[0], name, value)
            locations[0].save()
            changed.append("location")
        added = self._add_licenses(practitioner, record)
        return bool(changed) or added > 0

    def _fill_blanks(self, practitioner: Practitioner, record: NppesRecord) -> bool:
        """A claimed profile: fill what its practitioner left empty; show staff the rest."""
        filled = []
        for name, value in _details(record).items():
            ours = getattr(practitioner, name)
            if not ours and value:
                setattr(practitioner, name, value)
                filled.append(name)
            elif value and ours.casefold() != value.casefold():
                self._discrepancy(practitioner, name.replace("_", " "), ours, value)
        if filled:
            practitioner.save(update_fields=[*filled, "updated_at"])
        fresh = self._location(record)
        locations = list(practitioner.locations.all())
        if fresh is not None and not locations:
            Location.objects.create(practitioner=practitioner, **fresh)
            filled.append("location")
        elif fresh is not None and _address(fresh) not in [_address(vars(o)) for o in locations]:
            ours = "; ".join(", ".join(filter(None, _address(vars(o)))) for o in locations)
            self._discrepancy(
                practitioner, "practice address", ours, ", ".join(filter(None, _address(fresh)))
            )
        held = {_license_key(license) for license in practitioner.licenses.all()}
        for reported in record.licenses:
            if ("US", reported.state, _normalise(reported.number)) not in held:
                self._discrepancy(
                    practitioner, "license", "", f"US-{reported.state} {reported.number}"
                )
        return bool(filled)

    def _discrepancy(self, practitioner: Practitioner, name: str, ours: str, theirs: str) -> None:
        _, created = Discrepancy.objects.get_or_create(
            practitioner=practitioner,
            kind=DiscrepancyKind.NPPES_DIFFERS,
            field=name,
            theirs=theirs[:300],
            resolved_at=None,
            defaults={"ours": ours[:300], "found_in": self.file},
        )
        self.report.discrepancies += created

    def _add_licenses(self, practitioner: Practitioner, record: NppesRecord) -> int:
        held = {_license_key(license) for license in practitioner.licenses.all()}
        licenses = self._licenses_to_add(record, held=held)
        self._enter([{**license, "practitioner_id": practitioner.pk} for license in licenses])
        return len(licenses)

    def _enter(self, licenses: list[Row]) -> None:
        """Licenses in, as pending, through the rulebook's bulk entry (each with its event)."""
        credentials_enter(
            kind=License, rows=licenses, by=self.actor, reason=SELF_REPORTED, source=NPPES_SOURCE
        )
        self.report.licenses_added += len(licenses)

    def _licenses_to_add(
        self, record: NppesRecord, *, held: set[tuple[str, str, str]]
    ) -> list[Row]:
        """The record's licenses not in `held` (keys of those the practitioner has), as rows
        without their practitioner."""
        licenses: list[Row] = []
        for reported in record.licenses:
            key = ("US", reported.state, _normalise(reported.number))
            if key in held:
                continue
            if reported.state not in jurisdictions.REGIONS["US"]:
                self.report.skip(
                    "license with an unknown state",
                    f"line {record.line}: NPI {record.npi}: license state “{reported.state}”",
                )
                continue
            if (key[1], key[2]) in self.taken:
                self.report.skip(
                    "license number on another profile",
                    f"line {record.line}: NPI {record.npi}: license {key[2]} (US-{key[1]}) "
                    "is already on another profile",
                )
                continue
            licenses.append(_license(reported))
            held.add(key)
            self.taken.add((key[1], key[2]))
        return licenses

    def _location(self, record: NppesRecord) -> Row | None:
        return _location(record, self.places)

    def _slug(self, details: Row, npi: str) -> str:
        base = slug_base(f"{details['first_name']} {details['last_name']}")
        for slug in (base, f"{base}-{npi[-4:]}", f"{base}-{npi}"):
            if slug not in self.slugs:
                self.slugs.add(slug)
                return slug
        raise AssertionError("an NPI is unique, so base-npi is free")  # pragma: no cover


# What Meridian keeps of a row, in characters (its fields' sizes; NPPES's own are smaller):
# a row with a longer value is reported and skipped, never stored cut. The address fields
# count only where the clinic is kept (a country and region Meridian lists).
SIZES = {
    "Provider Organization Name (Legal Business Name)": ("organisation_name", 200),
    "Provider Last Name (Legal Name)": ("last_name", 80),
    "Provider First Name": ("first_name", 80),
    "Provider Credential Text": ("credential_text", 80),
}
ADDRESS_SIZES = {
    "Provider Business Practice Location Address City Name": ("city", 100),
    "Provider Business Practice Location Address Postal Code": ("postal_code", 12),
    "Provider Business Practice Location Address Telephone Number": ("phone", 40),
}
ADDRESS_SIZE = 200  # the two address lines, joined with ", "
LICENSE_NUMBER_SIZE = 60


def _too_long(record: NppesRecord) -> str:
    """What in the record is longer than Meridian keeps, or ""."""
    sizes = dict(SIZES)
    if _listed_region(record):
        sizes |= ADDRESS_SIZES
        address = _street(record)
        if len(address) > ADDRESS_SIZE:
            return f"the practice address is {len(address)} characters, over {ADDRESS_SIZE}"
    for column, (name, most) in sizes.items():
        if len(getattr(record, name)) > most:
            return f"“{column}” is {len(getattr(record, name))} characters, over {most}"
    for license in record.licenses:
        if len(license.number) > LICENSE_NUMBER_SIZE:
            return (
                f"license number “{license.number[:20]}…” is {len(license.number)} "
                f"characters, over {LICENSE_NUMBER_SIZE}"
            )
    return ""


def _details(record: NppesRecord) -> dict[str, str]:
    return {
        "first_name": _name(record.first_name),
        "last_name": _name(record.last_name),
        "credentials": record.credential_text,
    }


def _name(text: str) -> str:
    """NPPES writes names in capitals; "O'BRIEN-SMITH" reads "O'Brien-Smith". Mixed case is
    kept as given."""
    return text.title() if text.isupper() else text


def _location(
    record: NppesRecord, places: dict[tuple[str, ...], geocoding.Geocode | None]
) -> Row | None:
    """The practice location's fields, placed offline (postal code or city centre, looked
    up once per place in `places`); None for an address Meridian cannot hold (a country or
    region it does not list)."""
    if not _listed_region(record):
        return None
    country, region = record.country, record.state.upper()
    postal = _postal_code(record)
    city = _name(record.city)
    key = (country, region, city, postal[:5])
    if key not in places:
        place = gazetteer.find(postal[:5]) if country == "US" and postal else None
        place = place or gazetteer.find(f"{city}, {region}, {country}")
        places[key] = geocoding.from_place(place) if place is not None else None
    found = places[key]
    return {
        "address": _street(record),
        "city": city,
        "region": region,
        "postal_code": postal,
        "country": country,
        "phone": _phone(record.phone),
        "latitude": found.latitude if found else None,
        "longitude": found.longitude if found else None,
        "geocode_precision": found.precision if found else GeocodePrecision.NONE,
    }


def _organisation_address(record: NppesRecord) -> dict[str, str]:
    """An organisation's practice location, written as a clinic's is (`_location`)."""
    return {
        "address_line_1": record.address_1,
        "address_line_2": record.address_2,
        "city": _name(record.city),
        "region": record.state.upper(),
        "postal_code": _postal_code(record),
        "country": record.country,
        "phone": _phone(record.phone),
    }


def _postal_code(record: NppesRecord) -> str:
    """A US ZIP+4 written as NPPES does (nine digits) gets its dash."""
    postal = record.postal_code
    if record.country == "US" and len(postal) == 9 and postal.isdigit():
        return f"{postal[:5]}-{postal[5:]}"
    return postal


def _listed_region(record: NppesRecord) -> bool:
    country, region = record.country, record.state.upper()
    return region in jurisdictions.REGIONS.get(country, ())


def _street(record: NppesRecord) -> str:
    return ", ".join(filter(None, [record.address_1, record.address_2]))


ADDRESS = ("address", "city", "region", "postal_code", "country", "phone")


def _address(location: Row) -> tuple[str, ...]:
    """What NPPES says about a clinic, to compare: from `_location`'s fields or an existing
    clinic's (`vars(location)`)."""
    return tuple(location[name] for name in ADDRESS)


def _phone(digits: str) -> str:
    if len(digits) == 10 and digits.isdigit():
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return digits


def _normalise(number: str) -> str:
    return number.strip().upper()


def _license_key(license: License) -> tuple[str, str, str]:
    return (license.country, license.region, _normalise(license.number))


def _license(reported: SelfReportedLicense) -> Row:
    return {
        "country": "US",
        "region": reported.state,
        "license_type": LICENSE_TYPE,
        "number": _normalise(reported.number),
        "source": NPPES_SOURCE,
    }
