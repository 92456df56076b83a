"""Practitioner photos: what is accepted, how it is re-encoded, where it is kept, and the
two operations that change it (set and remove).

An upload is checked by its content (JPEG, PNG or WebP), its size in bytes and its size
in pixels before any pixel is decoded, then decoded by Pillow and drawn again, centre-
cropped to squares of fixed sizes, as new WebP files. Only pixels are copied into the new
images, so nothing of the upload's metadata survives: no EXIF (GPS position, camera serial,
time taken), no XMP, no colour profile, no comment. Each upload gets new random file names,
so a file never changes once written and can be cached for a year; a replaced or removed
photo's files are deleted once the change is committed."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps

from credentialing.documents import read_head

# Square sizes in pixels. A result card shows 48 CSS px (1x-3x: 96, 96, 144), a profile
# 96 (1x-3x: 96, 288, 288): phones get sharp photos while the search page keeps within its
# weight budget (150 KB for 20 results on a phone, tests/e2e/test_page_weight.py).
SIZES = (96, 144, 288)
ACCEPTED = "JPEG, PNG or WebP"
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"
# What Pillow must find inside: the first bytes are checked, then the decoder agrees.
FORMATS = {"JPEG", "PNG", "WEBP"}
NAME_PATTERN = r"[0-9a-f]{32}-(?:96|144|288)\.webp"


def _sniff(head: bytes) -> bool:
    return (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    )


@dataclass(frozen=True)
class PreparedPhoto:
    """An accepted upload, re-encoded: WebP bytes for each of SIZES."""

    renditions: dict[int, bytes]


def photo_prepare(file: File) -> PreparedPhoto:
    """Check an upload and re-encode it; a ValidationError says what is wrong with it."""
    limit = settings.PHOTO_MAX_BYTES
    if file.size == 0:
        raise ValidationError(f"The file is empty. Upload a {ACCEPTED} photo.", code="empty")
    if file.size > limit:
        raise ValidationError(
            f"The photo is {file.size / 1_048_576:.1f} MB; the limit is "
            f"{limit / 1_048_576:.0f} MB. Upload a smaller photo.",
            code="too_large",
        )
    if not _sniff(read_head(file)):
        raise ValidationError(
            f"This file is not a {ACCEPTED} image (its contents are checked, not its name).",
            code="wrong_type",
        )
    unreadable = ValidationError(
        f"This image could not be read; it may be damaged or cut short. Upload a whole "
        f"{ACCEPTED} photo.",
        code="unreadable",
    )
    too_many_pixels = ValidationError(
        f"The image has too many pixels; at most "
        f"{settings.PHOTO_MAX_PIXELS / 1_000_000:.0f} million are accepted. Upload a smaller "
        "photo.",
        code="too_many_pixels",
    )
    try:
        image = Image.open(file, formats=sorted(FORMATS))
    except Image.DecompressionBombError as error:  # Pillow's own, far higher, limit
        raise too_many_pixels from error
    except (OSError, SyntaxError, ValueError) as error:
        raise unreadable from error
    # Refuse a decompression bomb from its header, before decoding a pixel.
    width, height = image.size
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise too_many_pixels
    try:
        image.load()
        upright = ImageOps.exif_transpose(image)  # a phone's rotation, before EXIF goes
        return PreparedPhoto(renditions={size: _rendition(upright, size) for size in SIZES})
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise unreadable from error


def _rendition(image: Image.Image, size: int) -> bytes:
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
    else:
        flat = image.convert("RGB")
    square = ImageOps.fit(flat, (size, size), Image.Resampling.LANCZOS)
    # A new image holds the pixels only: image.info (EXIF, XMP, ICC profile) stays behind.
    clean = Image.new("RGB", square.size)
    clean.paste(square)
    out = io.BytesIO()
    clean.save(out, "WEBP", quality=70, method=6)
    return out.getvalue()


def photo_storage():
    """settings.STORAGES["photos"], looked up when used so tests can point it elsewhere."""
    from django.core.files.storage import storages

    return storages["photos"]


def file_names(key: str) -> dict[int, str]:
    return {size: f"{key}-{size}.webp" for size in SIZES}


def photo_urls(key: str) -> list[dict[str, object]]:
    """[{"url", "width", "height"}] for each size of the photo `key`; [] without one."""
    if not key:
        return []
    storage = photo_storage()
    return [
        {"url": storage.url(name), "width": size, "height": size}
        for size, name in file_names(key).items()
    ]


def _delete_files(key: str) -> None:
    storage = photo_storage()
    for name in file_names(key).values():
        storage.delete(name)


def practitioner_photo_set(*, practitioner, photo: PreparedPhoto):
    """Give `practitioner` this photo. The new files are written first; the old ones are
    deleted after the change commits, the new ones at once if saving the row fails."""
    key = secrets.token_hex(16)
    storage = photo_storage()
    for size, name in file_names(key).items():
        storage.save(name, ContentFile(photo.renditions[size]))
    old = practitioner.photo
    try:
        with transaction.atomic():
            practitioner.photo = key
            practitioner.save(update_fields=["photo", "updated_at"])
            if old:
                transaction.on_commit(lambda: _delete_files(old))
    except Exception:
        practitioner.photo = old
        _delete_files(key)
        raise
    return practitioner


def practitioner_photo_remove(*, practitioner, by) -> None:
    """Remove the photo (the practitioner themselves, or staff), recording who and when;
    the initials show again. Its files are deleted after the change commits."""
    old = practitioner.photo
    if not old:
        return
    with transaction.atomic():
        practitioner.photo = ""
        practitioner.photo_removed_by = by
        practitioner.photo_removed_at = timezone.now()
        practitioner.save(
            update_fields=["photo", "photo_removed_by", "photo_removed_at", "updated_at"]
        )
        transaction.on_commit(lambda: _delete_files(old))
