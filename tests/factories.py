from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from accounts.models import User
from credentialing.models import Certification, CredentialStatus, License, VerificationEvent
from credentialing.npi import with_check_digit
from credentialing.rules import Actor, credential_transition
from directory.models import GeocodePrecision, Location, NppesOrganisation, Practitioner
from evidence.models import Claim, ClaimStatus, Intervention, Measure, Outcome, Study, StudyDesign


def today() -> datetime.date:
    return timezone.localdate()


def days_from_today(days: int) -> datetime.date:
    """A day relative to the run's frozen today: days_from_today(-7) is a week ago."""
    return today() + datetime.timedelta(days=days)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = factory.django.Password("correct horse battery")


class PractitionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practitioner

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    slug = factory.Sequence(lambda n: f"practitioner-{n}")
    credentials = "L.Ac."
    bio = "Acupuncture for headache and chronic pain."
    practice_started = 2010
    languages = factory.LazyFunction(lambda: ["en"])
    accepting_new_patients = True
    accepting_new_patients_on = factory.LazyFunction(today)
    details_confirmed_on = factory.LazyFunction(today)
    published = True


class LocationFactory(factory.django.DjangoModelFactory):
    """A clinic in San Francisco, California, unless told otherwise."""

    class Meta:
        model = Location

    practitioner = factory.SubFactory(PractitionerFactory)
    clinic_name = factory.Sequence(lambda n: f"Clinic {n}")
    address = "1 Market St"
    city = "San Francisco"
    region = "CA"
    postal_code = "94105"
    country = "US"
    latitude = 37.7898
    longitude = -122.3942
    geocode_precision = GeocodePrecision.POSTAL


class NppesOrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation from NPPES in Oakland, California, with the acupuncture taxonomy."""

    class Meta:
        model = NppesOrganisation

    npi = factory.Sequence(lambda n: with_check_digit(f"{160000000 + n}"))
    legal_name = factory.Sequence(lambda n: f"GOLDEN NEEDLE {n} ACUPUNCTURE, INC.")
    address_line_1 = "410 14TH ST"
    address_line_2 = "SUITE 200"
    city = "Oakland"
    region = "CA"
    postal_code = "94612-1234"
    country = "US"
    phone = "510-555-0100"
    taxonomy_codes = factory.LazyFunction(lambda: ["171100000X"])


class LicenseFactory(factory.django.DjangoModelFactory):
    """A verified California license valid for another year."""

    class Meta:
        model = License

    practitioner = factory.SubFactory(PractitionerFactory)
    country = "US"
    region = "CA"
    license_type = "L.Ac."
    number = factory.Sequence(lambda n: f"AC{n:05d}")
    issued_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=365))
    expires_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=365))
    status = CredentialStatus.VERIFIED
    verified_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=300))
    source = "https://search.dca.ca.gov/"


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    practitioner = factory.SubFactory(PractitionerFactory)
    body = "NCCAOM"
    credential = "Dipl. Ac."
    number = factory.Sequence(lambda n: f"{n:06d}")
    issued_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=365))
    expires_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=3 * 365))
    status = CredentialStatus.VERIFIED
    verified_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=300))
    source = "NCCAOM certification verification"


# The data migrations that fill the shared vocabulary (each is idempotent).
VOCABULARY_MIGRATIONS = [
    ("0002_vocabulary", "add_vocabulary"),
    ("0003_intervention_is_technique", "mark_techniques"),
    ("0005_vocabulary_for_the_evidence_seed", "add_vocabulary"),
    ("0007_vocabulary_for_the_evidence_additions", "add_vocabulary"),
]


def restore_vocabulary() -> None:
    """Put back the conditions and interventions the data migrations create. Tests that
    commit (browser, backup, fault tests) are flushed afterwards, which empties them for
    the tests that follow; Django's serialized_rollback cannot restore them once
    Playwright's greenlets hold a different connection object."""
    import importlib

    from django.apps import apps

    for module, function in VOCABULARY_MIGRATIONS:
        getattr(importlib.import_module(f"evidence.migrations.{module}"), function)(apps, None)
    # And the insurance and payment vocabulary.
    importlib.import_module("directory.migrations.0019_payer_vocabulary").add_payers(apps, None)


# The rulebook's name for changes the tests make as "the system".
TEST_DATA = Actor.process("test data")


def submitted(credential: License | Certification) -> License | Certification:
    """Save an unsaved credential the way every credential enters: through the rulebook,
    pending, with its submission event."""
    credential_transition(
        credential=credential,
        to_status=CredentialStatus.PENDING,
        by=TEST_DATA,
        reason="Submitted for verification.",
    )
    return credential


def force_status(credentials, status: str) -> None:
    """Move credentials to any status, allowed by the rulebook or not, writing the event
    the database insists on first: tests of what reads statuses (the listing days, the
    search) need every state a row can be in, however it got there."""
    for credential in list(credentials):
        if credential.status != status:
            VerificationEvent.objects.create(
                **credential.event_link(),
                system_actor="test data",
                from_status=credential.status,
                to_status=status,
            )
            type(credential).objects.filter(pk=credential.pk).update(status=status)
            credential.status = status


def listed_practitioner(**practitioner_fields) -> Practitioner:
    """A published practitioner with a California clinic and a license that covers it."""
    practitioner = PractitionerFactory(**practitioner_fields)
    LocationFactory(practitioner=practitioner)
    LicenseFactory(practitioner=practitioner)
    return practitioner


# ---- Accounts (issue 4) ----

# A fixed authenticator-app secret for staff in tests; codes are computed from it with
# the RFC 6238 algorithm in tests/totp.py, as a phone app would.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class AccountFactory(UserFactory):
    """A user who signed up and verified their email address, as allauth requires."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def reviewer(**fields) -> User:
    """A staff account with an authenticator app set up: may use the admin and the queue."""
    from allauth.mfa.totp.internal.auth import TOTP

    user = AccountFactory(is_staff=True, **fields)
    TOTP.activate(user, TOTP_SECRET)
    return user


def owned_practitioner(owner: User | None = None, **fields) -> Practitioner:
    """A listed practitioner whose profile belongs to an account."""
    return listed_practitioner(owner=owner or AccountFactory(), **fields)


def png_bytes(width: int = 40, height: int = 24) -> bytes:
    """A real PNG (a green rectangle), so a browser can draw it."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x0b\x6e\x4f" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def phone_photo(
    width: int = 640, height: int = 480, fmt: str = "JPEG", detailed: bool = False
) -> bytes:
    """A photo as a phone writes one: EXIF with a GPS position, the camera's make and
    serial number, XMP and a comment (JPEG), on a pattern of real pixels. `detailed` draws
    thousands of overlapping shapes, so it compresses as a real photo does (re-encoded at
    144 px it weighs about what a busy real photo does, more than a calmer one)."""
    import io
    import random

    from PIL import Image, ImageDraw, ImageFilter

    image = Image.new("RGB", (width, height), (180, 120, 90))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, width * 3 // 4, height * 3 // 4), fill=(40, 90, 160))
    if detailed:
        rnd = random.Random(1)
        for _ in range(3000):
            x, y, r = rnd.randrange(width), rnd.randrange(height), rnd.randrange(3, width // 16)
            colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        image = image.filter(ImageFilter.GaussianBlur(1))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8769] = {0xA431: PHOTO_SERIAL}  # Exif IFD: BodySerialNumber
    exif[0x8825] = {1: "N", 2: (37.0, 46.0, 30.0), 3: "W", 4: (122.0, 25.0, 10.0)}  # GPS IFD
    out = io.BytesIO()
    extra = {"comment": b"taken at home"} if fmt == "JPEG" else {}
    image.save(out, fmt, exif=exif, xmp=PHOTO_XMP, **extra)
    return out.getvalue()


PHOTO_SERIAL = "SERIAL-12345678"
PHOTO_XMP = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>exif:GPSLatitude 37,46.5N</x:xmpmeta>"


def photo_upload(content: bytes | None = None, name: str = "me.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, phone_photo() if content is None else content, "image/jpeg")


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(name: str = "license.pdf", content: bytes = PDF_BYTES, content_type: str = ""):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type or "application/pdf")


# Evidence library. Test studies are plainly made up (10.5555 is Crossref's test prefix);
# real citations and figures come only from evidence/data/evidence-seed.json.


class StudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Study

    slug = factory.Sequence(lambda n: f"test-study-{n}")
    title = factory.Sequence(lambda n: f"Test study number {n}")
    authors = factory.LazyFunction(lambda: ["Tester A", "Example B"])
    journal = "Journal of Test Data"
    year = 2020
    design = StudyDesign.RCT


class OutcomeFactory(factory.django.DjangoModelFactory):
    """A made-up mean difference against sham acupuncture."""

    class Meta:
        model = Outcome

    study = factory.SubFactory(StudyFactory)
    outcome = "test score at 8 weeks"
    intervention = factory.LazyFunction(lambda: Intervention.objects.get(slug="acupuncture"))
    comparator = "sham acupuncture"
    measure = Measure.MD
    estimate = -1.0
    ci_low = -2.0
    ci_high = 0.5


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"Test claim number {n} says something.")
    status = ClaimStatus.UNVERIFIED
