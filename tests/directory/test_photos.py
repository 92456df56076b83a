"""Practitioner photos: uploaded on the dashboard or through /api/v1/me/profile/, served
re-encoded with no metadata at all, shown with srcset and fixed dimensions, replaced and
removed (by the practitioner or staff) with their files deleted; refused uploads are 400s
that change nothing."""

from __future__ import annotations

import io
import re
import struct
import threading
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.test.client import encode_multipart
from django.utils import timezone
from PIL import Image
from rest_framework.authtoken.models import Token

from directory import photos
from directory.models import Practitioner
from tests.factories import (
    PDF_BYTES,
    PHOTO_SERIAL,
    AccountFactory,
    owned_practitioner,
    phone_photo,
    photo_upload,
    reviewer,
)

pytestmark = pytest.mark.django_db

BOUNDARY = "BoUnDaRyStRiNg"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


@pytest.fixture
def practitioner(db):
    owner = AccountFactory(email="owner@example.com")
    return owned_practitioner(owner=owner, first_name="Mei", last_name="Chen", slug="mei-chen")


@pytest.fixture
def owner_client(client, practitioner):
    client.force_login(practitioner.owner)
    return client


def upload_on_dashboard(client, content: bytes, name: str = "me.jpg"):
    return client.post(
        "/dashboard/profile/mei-chen/photo/", {"photo": photo_upload(content, name=name)}
    )


def served_files(client, practitioner) -> list[tuple[int, bytes, dict]]:
    """(declared width, bytes, headers) of each file the public profile's srcset names."""
    page = client.get(practitioner.get_absolute_url()).content.decode()
    tag = re.search(r'<img class="photo"[^>]*>', page)[0]
    assert 'width="96" height="96"' in tag and 'alt="Mei Chen"' in tag
    found = []
    for url, width in re.findall(r"(\S+) (\d+)w", re.search(r'srcset="([^"]+)"', tag)[1]):
        response = client.get(url)
        assert response.status_code == 200, url
        found.append((int(width), b"".join(response.streaming_content), response.headers))
    return found


def riff_chunks(data: bytes) -> list[bytes]:
    """The chunk names of a WebP file (RIFF): where EXIF, XMP and ICC profiles would sit."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    names, offset = [], 12
    while offset < len(data):
        name, size = (
            data[offset : offset + 4],
            struct.unpack("<I", data[offset + 4 : offset + 8])[0],
        )
        names.append(name)
        offset += 8 + size + (size & 1)
    return names


def assert_no_metadata(data: bytes, width: int) -> None:
    assert set(riff_chunks(data)) <= {b"VP8 ", b"VP8L"}, riff_chunks(data)
    for trace in (b"Exif", b"EXIF", b"XMP", b"xmpmeta", b"ICCP", PHOTO_SERIAL.encode(),
                  b"PhoneMaker", b"taken at home"):  # fmt: skip
        assert trace not in data
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("WEBP", (width, width))
    assert len(image.getexif()) == 0
    assert not {"exif", "xmp", "icc_profile"} & set(image.info)


def files_in(root) -> list[str]:
    return sorted(path.name for path in root.glob("*")) if root.exists() else []


def test_a_photo_with_a_gps_position_is_served_with_no_exif_at_all(
    owner_client, practitioner, photo_files
):
    original = phone_photo()
    assert PHOTO_SERIAL.encode() in original  # the upload does carry EXIF, GPS and XMP
    gps = Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    assert gps[2] == (37.0, 46.0, 30.0)

    response = upload_on_dashboard(owner_client, original)
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert len(practitioner.photo) == 32
    assert files_in(photo_files) == sorted(photos.file_names(practitioner.photo).values())

    files = served_files(owner_client, practitioner)
    assert [width for width, _, _ in files] == [96, 144, 288]
    for width, data, headers in files:
        assert_no_metadata(data, width)
        assert headers["Content-Type"] == "image/webp"
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_the_api_takes_a_photo_as_multipart_and_the_public_api_lists_it(client, practitioner, fmt):
    token = Token.objects.create(user=practitioner.owner)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    content = phone_photo(fmt=fmt)
    response = client.patch(
        "/api/v1/me/profile/",
        encode_multipart(BOUNDARY, {"photo": photo_upload(content, name="x.bin")}),
        content_type=MULTIPART,
        **auth,
    )
    assert response.status_code == 200, response.content
    practitioner.refresh_from_db()
    names = photos.file_names(practitioner.photo)
    expected = [
        {"url": f"/photos/{names[size]}", "width": size, "height": size} for size in photos.SIZES
    ]
    assert response.json()["photo_urls"] == expected
    assert "photo" not in response.json()  # write-only
    assert client.get("/api/v1/practitioners/mei-chen/").json()["photo_urls"] == expected
    for width, data, _ in served_files(client, practitioner):
        assert_no_metadata(data, width)


def test_a_replaced_photo_s_files_are_deleted(
    owner_client, practitioner, photo_files, django_capture_on_commit_callbacks
):
    upload_on_dashboard(owner_client, phone_photo())
    practitioner.refresh_from_db()
    first = practitioner.photo
    old_urls = [entry["url"] for entry in practitioner.photo_urls]
    with django_capture_on_commit_callbacks(execute=True):  # old files go after commit
        assert upload_on_dashboard(owner_client, phone_photo(300, 500)).status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.photo != first
    assert files_in(photo_files) == sorted(photos.file_names(practitioner.photo).values())
    assert [owner_client.get(url).status_code for url in old_urls] == [404, 404, 404]


def test_the_practitioner_removes_the_photo_and_the_initials_return(
    owner_client, practitioner, photo_files, django_capture_on_commit_callbacks
):
    upload_on_dashboard(owner_client, phone_photo())
    assert 'class="photo"' in owner_client.get("/practitioners/mei-chen/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post("/dashboard/profile/mei-chen/photo/remove/")
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert (practitioner.photo, practitioner.photo_removed_by) == ("", practitioner.owner)
    assert files_in(photo_files) == []
    page = owner_client.get("/practitioners/mei-chen/").content.decode()
    assert 'class="photo"' not in page
    assert '<svg class="avatar"' in page and ">MC</text>" in page
    overview = owner_client.get("/dashboard/profile/mei-chen/").content.decode()
    assert "No photo: patients see your initials." in overview
    assert "staff removed" not in overview


def test_the_api_removes_the_photo_with_null(
    client, practitioner, photo_files, django_capture_on_commit_callbacks
):
    client.force_login(practitioner.owner)
    upload_on_dashboard(client, phone_photo())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch("/api/v1/me/profile/", {"photo": None}, "application/json")
    assert response.status_code == 200
    assert response.json()["photo_urls"] == []
    assert files_in(photo_files) == []


def test_staff_remove_a_photo_in_the_admin_and_it_is_recorded(
    client, practitioner, photo_files, django_capture_on_commit_callbacks
):
    owner = practitioner.owner
    client.force_login(owner)
    upload_on_dashboard(client, phone_photo())
    staff = reviewer(email="staff@example.com", is_superuser=True)
    client.force_login(staff)
    change_page = client.get(f"/admin/directory/practitioner/{practitioner.pk}/change/")
    assert 'alt="Mei Chen"' in change_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/directory/practitioner/",
            {"action": "remove_photo", "_selected_action": [practitioner.pk]},
        )
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.photo == ""
    assert practitioner.photo_removed_by == staff
    assert abs(practitioner.photo_removed_at - timezone.now()).total_seconds() < 60
    assert files_in(photo_files) == []
    client.force_login(owner)
    overview = client.get("/dashboard/profile/mei-chen/").content.decode()
    assert "Meridian staff removed your last photo on" in overview


def test_cards_and_profile_show_the_photo_with_srcset_and_fixed_dimensions(
    owner_client, practitioner
):
    location = practitioner.locations.get()
    near = f"{location.latitude},{location.longitude}"
    card = owner_client.get("/search/", {"near": near}).content.decode()
    assert 'class="photo"' not in card  # no photo, no image
    upload_on_dashboard(owner_client, phone_photo())
    practitioner.refresh_from_db()
    names = photos.file_names(practitioner.photo)
    card = owner_client.get("/search/", {"near": near}).content.decode()
    assert (
        f'<img class="photo" src="/photos/{names[144]}" srcset="/photos/{names[96]} 96w, '
        f'/photos/{names[144]} 144w, /photos/{names[288]} 288w" sizes="48px" width="48" '
        'height="48" alt="Mei Chen" loading="lazy" decoding="async">'
    ) in card
    search = owner_client.get("/api/v1/practitioners/", {"near": near}).json()
    assert [hit["photo_urls"][0]["width"] for hit in search["results"]] == [96]


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` (a decompression bomb's shape)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + body
        + struct.pack(">I", zlib.crc32(body))
        + b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )


REFUSED = {
    "a PDF named .jpg": (PDF_BYTES, "not a JPEG, PNG or WebP image"),
    "an empty file": (b"", "empty"),
    "a truncated JPEG": (phone_photo()[:600], "could not be read"),
    "a decompression bomb": (png_header_only(30_000, 30_000), "too many pixels"),
    "too many pixels for us": (png_header_only(8_000, 8_000), "too many pixels"),
    "an oversize file": (phone_photo() + b"\x00" * 1_100_000, "the limit is 1 MB"),
}


@pytest.fixture
def existing_photo(owner_client, practitioner, photo_files, settings):
    settings.PHOTO_MAX_BYTES = 1_048_576
    assert upload_on_dashboard(owner_client, phone_photo()).status_code == 302
    practitioner.refresh_from_db()
    return practitioner.photo, files_in(photo_files)


def unchanged(practitioner, existing_photo, root) -> bool:
    row = Practitioner.objects.get(pk=practitioner.pk)
    return (row.photo, files_in(root)) == existing_photo


@pytest.mark.parametrize("case", REFUSED)
def test_a_refused_upload_on_the_dashboard_is_a_400_that_changes_nothing(
    owner_client, practitioner, existing_photo, photo_files, case
):
    content, message = REFUSED[case]
    response = upload_on_dashboard(owner_client, content)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["photo"] and message in errors["photo"][0], errors
    assert unchanged(practitioner, existing_photo, photo_files)


@pytest.mark.parametrize("case", REFUSED)
def test_a_refused_upload_through_the_api_is_a_400_that_changes_nothing(
    owner_client, practitioner, existing_photo, photo_files, case
):
    content, message = REFUSED[case]
    data = {"photo": photo_upload(content)}
    response = owner_client.patch(
        "/api/v1/me/profile/", encode_multipart(BOUNDARY, data), MULTIPART
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["photo"] and message in errors["photo"][0], errors
    assert unchanged(practitioner, existing_photo, photo_files)


def webp_of(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (11, 110, 79)).save(out, "WEBP", quality=50, method=0)
    return out.getvalue()


def test_a_webp_photo_has_a_lower_pixel_limit():
    """Pillow decodes WebP whole, through several copies: 40 million pixels would take
    640 MB (bench_photos), so WebP stops at 12 million."""
    with pytest.raises(ValidationError) as refused:
        photos.photo_prepare(photo_upload(webp_of(4_000, 3_001), name="me.webp"))
    assert refused.value.messages == [
        "The image has too many pixels; at most 12 million are accepted in a WebP file. "
        "Upload a smaller photo."
    ]
    prepared = photos.photo_prepare(photo_upload(webp_of(4_000, 3_000), name="me.webp"))
    assert sorted(prepared.renditions) == [96, 144, 288]


def test_a_phone_s_rotation_is_applied_to_the_small_photos():
    """A phone stores a portrait photo sideways with EXIF Orientation 6 (turn it a quarter
    clockwise): left becomes top. Centre square of this one: red on the left, blue right."""
    image = Image.new("RGB", (400, 200), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 200, 200))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif)
    prepared = photos.photo_prepare(photo_upload(out.getvalue()))
    shown = Image.open(io.BytesIO(prepared.renditions[96])).convert("RGB")
    top, bottom = shown.getpixel((48, 10)), shown.getpixel((48, 86))
    assert top[0] > 200 and top[2] < 60, top  # red
    assert bottom[2] > 200 and bottom[0] < 60, bottom  # blue


def test_photos_are_prepared_one_at_a_time_in_a_process():
    """While one upload is being decoded (the lock held here), another waits its turn."""
    results = []
    worker = threading.Thread(
        target=lambda: results.append(photos.photo_prepare(photo_upload(phone_photo())))
    )
    with photos.ONE_AT_A_TIME:
        worker.start()
        worker.join(timeout=1)
        assert worker.is_alive() and results == []  # it cannot finish: the lock is held
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert sorted(results[0].renditions) == [96, 144, 288]


def test_a_photo_goes_alone_and_other_fields_as_json(
    owner_client, practitioner, existing_photo, photo_files
):
    """Form data carries no types ("0" would pass for false), so a photo upload takes no
    other field; sent together, nothing is written."""
    data = {"photo": photo_upload(phone_photo()), "published": "0"}
    response = owner_client.patch(
        "/api/v1/me/profile/", encode_multipart(BOUNDARY, data), MULTIPART
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"published": ["Unknown field."]}
    assert unchanged(practitioner, existing_photo, photo_files)
    assert Practitioner.objects.get(pk=practitioner.pk).published is True
    json_file = owner_client.patch("/api/v1/me/profile/", {"photo": "abc"}, "application/json")
    assert json_file.status_code == 400 and list(json_file.json()["errors"]) == ["photo"]
    assert unchanged(practitioner, existing_photo, photo_files)


def test_an_unknown_photo_name_is_not_found(client):
    assert client.get("/photos/" + "0" * 32 + "-96.webp").status_code == 404
    assert client.get("/photos/../../etc/passwd").status_code == 404
