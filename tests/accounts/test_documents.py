"""Supporting documents are private files, checked by content, served only through a
view that checks who asks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from credentialing.documents import sniff, validate_document
from tests.factories import PDF_BYTES, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, ("application/pdf", ".pdf")),
        (png_bytes(), ("image/png", ".png")),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", ("image/jpeg", ".jpg")),
        (b"GIF89a", None),
        (b"<html><script>alert(1)</script>", None),
        (b"PK\x03\x04 a zip or docx", None),
    ],
)
def test_files_are_recognised_by_their_first_bytes(content, expected):
    assert sniff(content) == expected


def test_a_misnamed_file_is_judged_by_its_content():
    with pytest.raises(ValidationError) as refused:
        validate_document(upload("license.pdf", b"<svg onload=alert(1)>", "application/pdf"))
    assert refused.value.code == "wrong_type"
    validate_document(upload("photo.txt", png_bytes(), "text/plain"))  # a PNG is a PNG


@pytest.fixture
def license_with(practitioner):
    def attach(content: bytes, name: str = "scan.pdf"):
        license = practitioner.licenses.get()
        license.document.save(name, upload(name, content))
        return license

    return attach


def document_url(license) -> str:
    return f"/dashboard/profile/mei-chen/licenses/{license.public_id}/document/"


def test_the_owner_downloads_the_document_as_an_attachment(owner_client, license_with):
    license = license_with(PDF_BYTES)
    response = owner_client.get(document_url(license))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="lac-license-{license.number.lower()}-us-ca.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Frame-Options"] == "DENY"


def test_staff_see_it_in_place_on_the_review_page(reviewer_client, license_with):
    license = license_with(png_bytes(), name="scan.pdf")  # the name lies; the type does not
    response = reviewer_client.get(document_url(license) + "?inline=1")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'self'"


def test_a_pdf_is_never_shown_in_place(reviewer_client, license_with):
    """A browser's PDF viewer runs what the file carries (JavaScript, forms): reviewers
    download it instead, and the review page links to it rather than embedding it."""
    license = license_with(PDF_BYTES)
    response = reviewer_client.get(document_url(license) + "?inline=1")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    html = reviewer_client.get(f"/review/licenses/{license.public_id}/").content.decode()
    assert "<iframe" not in html and "?inline=1" not in html
    assert f'<a href="{document_url(license)}">Download the document (PDF)</a>' in html


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares this size but holds a single compressed row: a few hundred bytes
    that would decode to width by height pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = zlib.compress(b"\x00" + b"\xff" * 3 * min(width, 1000))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", row) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        (
            30_000,
            30_000,
            "The image has too many pixels; at most 40 million are accepted. "
            "Upload a smaller scan.",
        ),  # beyond Pillow's own limit
        (
            8_000,
            6_000,
            "The image is 8,000 × 6,000 pixels; at most 40 million pixels are accepted. "
            "Upload a smaller scan.",
        ),
    ],
)
def test_an_image_with_too_many_pixels_is_refused_before_decoding(width, height, message):
    with pytest.raises(ValidationError) as refused:
        validate_document(upload("scan.png", png_header(width, height), "image/png"))
    assert refused.value.code == "too_many_pixels"
    assert refused.value.messages == [message]
    validate_document(upload("scan.png", png_header(6_000, 6_000), "image/png"))  # 36 M


def test_the_api_answers_a_pixel_bomb_with_a_400_and_keeps_nothing(owner_client, practitioner):
    from tests.accounts.conftest import license_fields

    response = owner_client.post(
        "/api/v1/me/licenses/",
        {**license_fields(), "document": upload("scan.png", png_header(30_000, 30_000))},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "document": [
            "The image has too many pixels; at most 40 million are accepted. Upload a smaller scan."
        ]
    }
    assert practitioner.licenses.count() == 1


def test_no_document_is_not_found(owner_client, practitioner):
    license = practitioner.licenses.get()
    assert owner_client.get(document_url(license)).status_code == 404


def test_stored_files_are_outside_every_public_url(client, license_with, private_files):
    license = license_with(PDF_BYTES)
    name = license.document.name
    assert (private_files / name).read_bytes() == PDF_BYTES
    for guess in [f"/{name}", f"/media/{name}", f"/static/{name}", f"/private/{name}"]:
        assert client.get(guess).status_code == 404
