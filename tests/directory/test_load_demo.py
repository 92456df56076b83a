from __future__ import annotations

import re
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from credentialing.models import Certification, License, VerificationEvent
from directory import photos
from directory.models import Location, OpeningInterval, Practitioner
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, object]:
    return {
        "practitioners": list(Practitioner.objects.values_list("slug", "updated_at")),
        "locations": Location.objects.count(),
        "licenses": list(License.objects.values_list("number", "status", "updated_at")),
        "certifications": Certification.objects.count(),
        "opening_intervals": OpeningInterval.objects.count(),
        "events": VerificationEvent.objects.count(),
        "photos": list(Practitioner.objects.values_list("slug", "photo")),
    }


def test_load_demo_creates_a_realistic_directory_and_a_second_run_changes_nothing():
    output = StringIO()
    call_command("load_demo", count=120, stdout=output)
    assert "120 practitioners created" in output.getvalue()

    assert Practitioner.objects.count() == 120
    countries = set(Location.objects.values_list("country", flat=True))
    assert {"US", "CA", "GB", "AU"} <= countries
    assert len(set(Location.objects.filter(country="US").values_list("region", flat=True))) > 10
    statuses = set(License.objects.values_list("status", flat=True))
    assert statuses == {"verified", "pending", "rejected", "revoked"}
    assert 0 < Practitioner.objects.listable().count() < Practitioner.objects.count()
    assert Certification.objects.filter(body="NCCAOM").exists()
    # Genders as practitioners state them: mostly women and men, a few non-binary, some
    # not saying; the search's gender filter has someone to find.
    genders = list(Practitioner.objects.values_list("gender", flat=True))
    assert {"woman", "man", "nonbinary", ""} <= set(genders)
    assert genders.count("woman") > genders.count("man") > genders.count("nonbinary")
    # Opening hours, a realistic spread: not every clinic gives them, some open evenings or
    # weekends, and every clinic placed has the time zone of its coordinates.
    with_hours = Location.objects.filter(opening_intervals__isnull=False).distinct().count()
    assert 0.6 * Location.objects.count() < with_hours < Location.objects.count()
    assert Location.objects.filter(opening_intervals__isnull=True, hours_note__gt="").exists()
    assert OpeningInterval.objects.filter(weekday__in=[5, 6]).exists()
    assert OpeningInterval.objects.filter(closes__hour__gte=19).exists()
    assert not Location.objects.filter(latitude__isnull=False, time_zone="").exists()
    assert {"America/New_York", "America/Los_Angeles", "Europe/London"} <= set(
        Location.objects.values_list("time_zone", flat=True)
    )
    # About one clinic in three books online, on example.org (nothing real is named).
    booking = list(Location.objects.exclude(booking_url="").values_list("booking_url", flat=True))
    assert 0.2 * Location.objects.count() < len(booking) < 0.5 * Location.objects.count()
    assert all(url.startswith("https://booking.example.org/") for url in booking)
    # every credential's current status is explained by its last event
    for license in License.objects.prefetch_related("events"):
        assert list(license.events.all())[-1].to_status == license.status

    before = snapshot()
    output = StringIO()
    call_command("load_demo", count=120, stdout=output)
    assert "0 practitioners created, 120 already present" in output.getvalue()
    assert snapshot() == before


def test_the_demo_gives_some_practitioners_a_photo_served_as_webp_and_others_initials(
    client, photo_files
):
    call_command("load_demo", count=60, verbosity=0)
    listed = Practitioner.objects.listable().order_by("slug")
    with_photo = [practitioner for practitioner in listed if practitioner.photo]
    without = [practitioner for practitioner in listed if not practitioner.photo]
    assert 0.4 * len(listed) < len(with_photo) < 0.8 * len(listed)
    # Every practitioner's files, and nothing else: three sizes each, under the upload's names.
    assert sorted(path.name for path in photo_files.iterdir()) == sorted(
        name
        for practitioner in Practitioner.objects.exclude(photo="")
        for name in photos.file_names(practitioner.photo).values()
    )

    page = client.get(with_photo[0].get_absolute_url()).content.decode()
    tag = re.search(r'<img class="photo"[^>]*>', page)[0]
    served = re.findall(r"(\S+) (\d+)w", re.search(r'srcset="([^"]+)"', tag)[1])
    assert [int(width) for _, width in served] == list(photos.SIZES)
    for url, width in served:
        response = client.get(url)
        assert response.status_code == 200, url
        data = b"".join(response.streaming_content)
        assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
        assert Image.open(BytesIO(data)).size == (int(width), int(width))
    other = client.get(without[0].get_absolute_url()).content.decode()
    assert '<img class="photo"' not in other and '<svg class="avatar"' in other


def test_if_empty_leaves_a_directory_with_practitioners_alone():
    PractitionerFactory(slug="someone-real")
    output = StringIO()
    call_command("load_demo", count=5, if_empty=True, stdout=output)
    assert "not empty" in output.getvalue()
    assert list(Practitioner.objects.values_list("slug", flat=True)) == ["someone-real"]


def test_count_must_be_positive():
    with pytest.raises(CommandError, match="--count must be at least 1"):
        call_command("load_demo", count=0)
