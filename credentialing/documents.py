"""Supporting documents (license and certificate scans): what is accepted, and where it is
kept. Files are checked by their content, never by name or declared type, and stored
under random names in the private storage, which has no public URL."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from PIL import Image

# The first bytes of each accepted format, and how it is served back.
SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
]
ACCEPTED = "PDF, PNG or JPEG"


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) for the first bytes of an accepted file, else None."""
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def read_head(file: File, size: int = 16) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def validate_document(file: File) -> None:
    """A field validator: refuse empty, oversized or unrecognised files."""
    limit = settings.DOCUMENT_MAX_BYTES
    if file.size == 0:
        raise ValidationError(f"The file is empty. Upload a {ACCEPTED} scan.", code="empty")
    if file.size > limit:
        raise ValidationError(
            f"The file is {file.size / 1_048_576:.1f} MB; the limit is "
            f"{limit / 1_048_576:.0f} MB. Upload a smaller scan.",
            code="too_large",
        )
    kind = sniff(read_head(file))
    if kind is None:
        raise ValidationError(
            f"This file is not a {ACCEPTED}. Upload a scan in one of those formats "
            "(the file's contents are checked, not its name).",
            code="wrong_type",
        )
    if kind[0].startswith("image/"):
        _check_pixels(file)


def _check_pixels(file: File) -> None:
    """Refuse an image whose header declares more pixels than a scan needs (a small file
    can declare billions: a decompression bomb for whoever views it), before any pixel is
    decoded; and one Pillow cannot read."""
    limit = settings.DOCUMENT_MAX_PIXELS
    too_many = ValidationError(
        f"The image has too many pixels; at most {limit / 1_000_000:.0f} million are "
        "accepted. Upload a smaller scan.",
        code="too_many_pixels",
    )
    file.seek(0)
    try:
        with Image.open(file, formats=["PNG", "JPEG"]) as image:
            width, height = image.size
    except Image.DecompressionBombError as error:  # Pillow's own, far higher, limit
        raise too_many from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            "This image could not be read; it may be damaged or cut short. Upload a whole scan.",
            code="unreadable",
        ) from error
    finally:
        file.seek(0)
    if width * height > limit:
        raise ValidationError(
            f"The image is {width:,} × {height:,} pixels; at most {limit / 1_000_000:.0f} "
            "million pixels are accepted. Upload a smaller scan.",
            code="too_many_pixels",
        )


def private_storage():
    """The storage for private files (settings.STORAGES["private"]), looked up when used so
    tests and deployments can point it elsewhere."""
    from django.core.files.storage import storages

    return storages["private"]


def document_path(instance: Any, filename: str) -> str:
    """A random name with no trace of the uploaded one; the type is sniffed when served."""
    return f"credentials/{uuid.uuid4().hex}"


def stored_type(document: Any) -> tuple[str, str]:
    """(content type, extension) of a stored document, read from its first bytes. Files
    were checked on upload; anything unrecognised is served as opaque bytes."""
    with document.open("rb") as file:
        head = file.read(16)
    return sniff(head) or ("application/octet-stream", "")
