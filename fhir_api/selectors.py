"""Everything the FHIR API reads from the other apps, and the only module in fhir/ that
imports their models: when a model moves app, its import changes here and nowhere else.

Every read starts from the site's listing rule (`Location.objects.listable()`,
`Practitioner.objects.listable()`), so a license that expired yesterday is gone today here
as on the site, and nearby search goes through directory.search, on the same GiST index."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Iterable

from django.db.models import F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from credentialing import sources
from credentialing.models import Certification, CredentialStatus, License, VerificationEvent
from directory import search as directory_search
from directory.expressions import EarthPoint
from directory.models import ACCEPTING_CURRENT_DAYS, Location, NppesOrganisation, Practitioner
from fhir_api import systems

DEFAULT_RADIUS_KM = directory_search.DEFAULT_RADIUS_KM
MAX_RADIUS_KM = directory_search.MAX_RADIUS_KM
Credential = License | Certification


# ---- Stable public ids ----


def location_id(location: Location) -> str:
    """A clinic's FHIR id (Location and PractitionerRole alike): the practitioner's slug and a
    short digest of the row, so no sequential number is published and the id stays put."""
    digest = hashlib.sha256(f"meridian-location:{location.pk}".encode()).hexdigest()[:10]
    return f"{location.practitioner.slug}-{digest}"


def _split_location_id(value: str) -> tuple[str, str] | None:
    slug, _, digest = value.rpartition("-")
    return (slug, digest) if slug and len(digest) == 10 else None


def location_pks(ids: Iterable[str]) -> list[int]:
    """Primary keys of listable locations with these FHIR ids (unknown ones are dropped)."""
    wanted = {parts for parts in map(_split_location_id, ids) if parts}
    if not wanted:
        return []
    slugs = {slug for slug, _ in wanted}
    candidates = Location.objects.listable().filter(practitioner__slug__in=slugs)
    return [
        location.pk
        for location in candidates.select_related("practitioner").only("pk", "practitioner__slug")
        if (location.practitioner.slug, location_id(location).rpartition("-")[2]) in wanted
    ]


# ---- Practitioners ----


def _latest(model, field: str = "updated_at") -> Subquery:
    rows = model.objects.filter(practitioner=OuterRef("pk")).order_by().values("practitioner")
    return Subquery(rows.annotate(latest=Max(field)).values("latest"))


def practitioners() -> QuerySet:
    """Listable practitioners, each with `last_updated`: the latest change to the profile,
    one of its credentials or one of its clinics (their booking pages are the practitioner's
    endpoints): what a Practitioner resource is made of."""
    return Practitioner.objects.listable().annotate(
        last_updated=Greatest(
            F("updated_at"),
            Coalesce(_latest(License), F("updated_at")),
            Coalesce(_latest(Certification), F("updated_at")),
            Coalesce(_latest(Location), F("updated_at")),
        )
    )


def practitioner_name_filter(
    part: str, value: str, *, exact: bool, contains: bool, prefix: str = ""
) -> Q:
    """Practitioners whose first or last name (or either, for `name`) matches, ignoring
    case and accents: starts with, as FHIR's string search does, or exactly / anywhere."""
    fields = {"family": ["last_name"], "given": ["first_name"]}.get(
        part, ["first_name", "last_name"]
    )
    q = Q()
    for field in fields:
        if exact:
            q |= Q(**{f"{prefix}{field}": value})
        else:
            lookup = "contains" if contains else "startswith"
            q |= Q(**{f"{prefix}{field}__unaccent__i{lookup}": value})
    return q


def practitioner_identifier_filter(system: str | None, value: str) -> Q:
    """Practitioners holding the identifier `system|value` (system None: any system)."""
    q = Q(pk__in=[])
    for identifier_system, field in identifier_fields():
        if system is None or system == identifier_system:
            q |= Q(**{field: value})
    return q


def identifier_fields() -> list[tuple[str, str]]:
    """(system, Practitioner field) for every identifier a practitioner carries: the NPI
    (US Core's must-support identifier:NPI) where known, and the Meridian profile slug."""
    return [(systems.NPI, "npi"), (systems.profile_identifier(), "slug")]


def load_practitioners(pks: Iterable[int] | QuerySet) -> QuerySet:
    """Practitioners with everything their resource shows prefetched."""
    return (
        practitioners()
        .filter(pk__in=pks)
        .prefetch_related(
            Prefetch(
                "licenses",
                queryset=License.objects.in_force().order_by("country", "region", "pk"),
                to_attr="licenses_in_force",
            ),
            Prefetch(
                "certifications",
                queryset=Certification.objects.in_force().order_by("body", "credential", "pk"),
                to_attr="certifications_in_force",
            ),
            Prefetch("locations", queryset=booking_locations(), to_attr="booking_locations"),
        )
    )


def booking_locations() -> QuerySet:
    """Listable clinics with an online booking page (each page is an Endpoint)."""
    return Location.objects.listable().exclude(booking_url="").order_by("pk")


def licensed_filter() -> Q:
    """Practitioners with a license in force (each is a qualification coded Acupuncturist)."""
    return Q(pk__in=License.objects.in_force().values("practitioner"))


def qualification_text_filter(value: str) -> Q:
    """Practitioners with a credential in force whose qualification text contains `value`
    (ignoring case and accents): a license's type ("L.Ac.") or a certification's body or
    credential ("NCCAOM", "Dipl. Ac.")."""
    licenses = License.objects.in_force().filter(license_type__unaccent__icontains=value)
    certifications = Certification.objects.in_force().filter(
        Q(body__unaccent__icontains=value) | Q(credential__unaccent__icontains=value)
    )
    return Q(pk__in=licenses.values("practitioner")) | Q(
        pk__in=certifications.values("practitioner")
    )


def licensed_in_filter(country: str, region: str) -> Q:
    """Practitioners with a license in force in this jurisdiction."""
    licenses = License.objects.in_force().filter(country=country, region=region)
    return Q(pk__in=licenses.values("practitioner"))


def certified_by_filter(body: str) -> Q:
    """Practitioners with a certification in force from this body (the vocabulary's
    spelling, as the site's certification filter matches it)."""
    return Q(pk__in=Certification.objects.in_force().filter(body=body).values("practitioner"))


def credential_issuers() -> tuple[set[tuple[str, str]], set[str]]:
    """The jurisdictions (country, region) of licenses in force and the bodies of
    certifications in force of listable practitioners: who issued what the directory lists."""
    listable = Practitioner.objects.listable().values("pk")
    licenses = License.objects.in_force().filter(practitioner__in=listable).order_by()
    certifications = Certification.objects.in_force().filter(practitioner__in=listable)
    places = set(licenses.values_list("country", "region").distinct())
    bodies = set(certifications.order_by().values_list("body", flat=True).distinct())
    return places, bodies


def practitioner_gone(slug: str) -> bool:
    """A published practitioner who is no longer listed (a license lapsed, say): their id is
    answered 410 Gone. Unpublished profiles stay unknown (404), as on the site."""
    return Practitioner.objects.filter(slug=slug, published=True).exists()


# ---- Clinics: Location and PractitionerRole ----


def locations() -> QuerySet:
    """Listable locations (each is a Location and a PractitionerRole), with `last_updated`
    covering the practitioner's part of the role."""
    return Location.objects.listable().annotate(
        last_updated=Greatest(F("updated_at"), F("practitioner__updated_at"))
    )


def practice_name_filter(value: str, *, exact: bool, contains: bool) -> Q:
    """Clinics whose practice is named so: the clinic's name, or for a clinic without one
    the practitioner's own practice, named for them."""
    own = Q(clinic_name="") & practitioner_name_filter(
        "name", value, exact=exact, contains=contains, prefix="practitioner__"
    )
    if exact:
        return Q(clinic_name=value) | own
    lookup = "contains" if contains else "startswith"
    return Q(**{f"clinic_name__unaccent__i{lookup}": value}) | own


def location_gone(location_id_: str) -> bool:
    """A clinic of a published practitioner that is no longer listed (its practitioner's
    license lapsed, say): 410 Gone, as for the practitioner."""
    parts = _split_location_id(location_id_)
    if parts is None:
        return False
    candidates = Location.objects.filter(
        practitioner__slug=parts[0], practitioner__published=True
    ).select_related("practitioner")
    return any(location_id(location) == location_id_ for location in candidates)


def location_text_filter(field: str, value: str, *, exact: bool, contains: bool) -> Q:
    fields = {
        "address": ["clinic_name", "address", "city", "region", "postal_code", "country"],
        "address-city": ["city"],
        "address-state": ["region"],
        "address-postalcode": ["postal_code"],
        "address-country": ["country"],
    }[field]
    q = Q()
    for name in fields:
        if exact:
            q |= Q(**{name: value})
        else:
            lookup = "contains" if contains else "startswith"
            q |= Q(**{f"{name}__unaccent__i{lookup}": value})
    return q


def load_locations(pks: Iterable[int]) -> dict[int, Location]:
    """Listable locations by primary key, with the practitioner and what a role shows."""
    rows = (
        locations()
        .filter(pk__in=list(pks))
        .select_related("practitioner")
        .prefetch_related(
            "practitioner__conditions", "practitioner__techniques", "opening_intervals"
        )
    )
    return {location.pk: location for location in rows}


def nearest_locations(
    latitude: float,
    longitude: float,
    *,
    radius_km: float,
    where: Q,
    after: tuple[float, int] | None,
    limit: int,
) -> list[tuple[int, float]]:
    """(location pk, metres) of listable locations within the radius that match `where`,
    nearest first by great-circle distance (then pk), from the site's nearby search: the
    GiST index answers both the radius box and the `<->` order, and the LIMIT stops the
    scan. `after` (metres, pk) continues after that row: the scan still walks past the
    nearer rows, but only inside the radius box."""
    rows = _within(latitude, longitude, radius_km).filter(where)
    if after is not None:
        metres, pk = after
        rows = rows.filter(Q(distance_m__gt=metres) | Q(distance_m=metres, pk__gt=pk))
    return [(location_pk, distance_m) for location_pk, _, distance_m in rows[:limit]]


def count_nearby(latitude: float, longitude: float, *, radius_km: float, where: Q) -> int:
    return _within(latitude, longitude, radius_km).filter(where).order_by().count()


def _within(latitude: float, longitude: float, radius_km: float) -> QuerySet:
    query = directory_search.SearchQuery(
        origin=EarthPoint(latitude, longitude), radius_km=radius_km
    )
    return directory_search.within_radius(query)


# ---- Organisations from NPPES ----


def nppes_organisations() -> QuerySet:
    """The NPPES organisations the directory publishes (active NPI, acupuncture taxonomy)."""
    return NppesOrganisation.objects.listed()


def nppes_organisation_page(where: Q, *, after: str, limit: int) -> list[NppesOrganisation]:
    """Published NPPES organisations matching `where`, by NPI, after `after` (keyset)."""
    return list(nppes_organisations().filter(where, npi__gt=after).order_by("npi")[:limit])


def count_nppes_organisations(where: Q) -> int:
    return nppes_organisations().filter(where).order_by().count()


# ---- Credentials and their verification ----


def credentials_in_force(practitioner_pks: Iterable[int]) -> list[Credential]:
    """Licenses then certifications in force for these (listable) practitioners, each with
    its practitioner and its verification events."""
    pks = list(practitioner_pks)
    events = Prefetch("events", queryset=VerificationEvent.objects.order_by("created_at", "pk"))
    found: list[Credential] = []
    for model in (License, Certification):
        found.extend(
            model.objects.in_force()
            .filter(practitioner__in=pks)
            .select_related("practitioner")
            .prefetch_related(events)
            .order_by("practitioner__slug", "pk")
        )
    return found


def valid_uuids(values: Iterable[str]) -> list[uuid.UUID]:
    valid = []
    for value in values:
        try:
            valid.append(uuid.UUID(value))
        except ValueError:
            continue
    return valid


def new_patients_filter(accepting: bool) -> Q:
    """Locations whose practitioner's answer to "accepting new patients" is current (as
    the role's newpatients extension shows it) and is `accepting`."""
    current = Practitioner.objects.accepting_new_patients()
    if not accepting:
        recent = Practitioner.objects.filter(
            accepting_new_patients_on__gte=timezone.localdate()
            - datetime.timedelta(days=ACCEPTING_CURRENT_DAYS)
        )
        current = recent.filter(accepting_new_patients=False)
    return Q(practitioner__in=current.values("pk"))


def technique_filter(slug: str) -> Q:
    """Locations whose practitioner offers this technique."""
    return Q(practitioner__in=Practitioner.objects.filter(techniques__slug=slug).values("pk"))


def credentials_by_public_id(public_ids: Iterable[str]) -> list[Credential]:
    """Credentials in force of listable practitioners, by their public UUID."""
    valid = valid_uuids(public_ids)
    listable = Practitioner.objects.listable().values("pk")
    found: list[Credential] = []
    for model in (License, Certification):
        found.extend(
            model.objects.in_force()
            .filter(public_id__in=valid, practitioner__in=listable)
            .select_related("practitioner")
            .prefetch_related("events")
        )
    return found


def credential_last_updated(credential: Credential) -> datetime.datetime:
    latest = [event.created_at for event in credential.events.all()]
    return max([credential.updated_at, *latest])


def last_verification(credential: Credential) -> VerificationEvent | None:
    """The event that made the credential verified most recently, if it was recorded."""
    verified = [
        event for event in credential.events.all() if event.to_status == CredentialStatus.VERIFIED
    ]
    return verified[-1] if verified else None


def is_license(credential: Credential) -> bool:
    return isinstance(credential, License)


def primary_source_name(credential: Credential) -> str:
    """Who staff checked the credential against: the board or body of the site's source
    list, else the source recorded on the credential."""
    if isinstance(credential, License):
        known = sources.sources_for_license(credential.country, credential.region)
    else:
        known = sources.sources_for_certification(credential.body)
    if known:
        return known[0].name
    return credential.source or (
        credential.body if isinstance(credential, Certification) else "Licensing board"
    )


def _credential_ids(where: Q) -> tuple[QuerySet, QuerySet]:
    listable = Practitioner.objects.listable().values("pk")
    licenses, certifications = (
        model.objects.in_force()
        .filter(where, practitioner__in=listable)
        .order_by()
        .values_list("public_id", flat=True)
        for model in (License, Certification)
    )
    return licenses, certifications


def count_credentials(where: Q) -> int:
    return sum(ids.count() for ids in _credential_ids(where))


def credential_page(where: Q, *, after: uuid.UUID | None, limit: int) -> list[Credential]:
    """One page of the credentials in force of listable practitioners that match `where`,
    licenses and certifications together in public-id order, after `after` (keyset)."""
    if after is not None:
        where &= Q(public_id__gt=after)
    licenses, certifications = _credential_ids(where)
    ids = list(licenses.union(certifications, all=True).order_by("public_id")[:limit])
    found = {
        credential.public_id: credential for credential in credentials_by_public_id(map(str, ids))
    }
    return [found[public_id] for public_id in ids if public_id in found]
