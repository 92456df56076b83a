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
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import ExifTags, Image

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


# Pillow decodes a WebP file whole, through about four copies of it (16 bytes a pixel,
# where a PNG takes 4 and a JPEG far less: it is decoded at a smaller scale), so WebP gets a
# lower limit that keeps a photo within the memory budget (bench_photos measures it).
WEBP_MAX_PIXELS = 12_000_000


def max_pixels(image_format: str | None) -> int:
    """The most pixels a photo in this format may have."""
    if image_format == "WEBP":
        return min(settings.PHOTO_MAX_PIXELS, WEBP_MAX_PIXELS)
    return settings.PHOTO_MAX_PIXELS


def _too_many_pixels(limit: int, image_format: str | None = None) -> ValidationError:
    kind = " in a WebP file" if image_format == "WEBP" else ""
    return ValidationError(
        f"The image has too many pixels; at most {limit / 1_000_000:.0f} million are "
        f"accepted{kind}. Upload a smaller photo.",
        code="too_many_pixels",
    )


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
    try:
        image = Image.open(file, formats=sorted(FORMATS))
    except Image.DecompressionBombError as error:  # Pillow's own, far higher, limit
        raise _too_many_pixels(settings.PHOTO_MAX_PIXELS) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise unreadable from error
    # Refuse a decompression bomb from its header, before decoding a pixel.
    width, height = image.size
    limit = max_pixels(image.format)
    if width * height > limit:
        raise _too_many_pixels(limit, image.format)
    try:
        with ONE_AT_A_TIME:
            return PreparedPhoto(renditions=_renditions(image))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise unreadable from error


# One upload decoded at a time in each process: a photo at the pixel limit briefly holds
# up to about 200 MB (bench_photos), so the threads of one worker must not each hold one at
# once. Others wait their turn, a second or two.
ONE_AT_A_TIME = threading.Lock()
# Pillow's Image.transpose for each EXIF orientation (as ImageOps.exif_transpose applies it).
ORIENTATIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _renditions(image: Image.Image) -> dict[int, bytes]:
    """Each square size, drawn from as few decoded pixels as possible: a JPEG is decoded
    at the smallest scale (1/2 to 1/8) that still covers the largest size (draft); every
    size is resampled straight from the centred square of the decoded image, in two steps
    (a quick integer reduction, then Lanczos: reducing_gap), so no copy of the full image
    is ever made. The phone's rotation (EXIF) is applied to the small results."""
    orientation = ORIENTATIONS.get(image.getexif().get(ExifTags.Base.Orientation, 1))
    image.draft("RGB", (max(SIZES), max(SIZES)))  # JPEG only; others decode in full
    image.load()
    if image.mode not in ("RGB", "RGBA", "L", "LA") or "transparency" in image.info:
        # Palette, 16-bit, CMYK, a transparent colour: resampling needs plain channels.
        transparent = image.mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) / 2, (height - side) / 2
    square = (left, top, left + side, top + side)
    renditions = {}
    for size in SIZES:
        small = image.resize((size, size), Image.Resampling.LANCZOS, box=square, reducing_gap=3.0)
        if orientation is not None:
            small = small.transpose(orientation)
        renditions[size] = _encode(small)
    return renditions


def _encode(image: Image.Image) -> bytes:
    if image.mode in ("RGBA", "LA"):
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
    else:
        flat = image.convert("RGB")
    # A new image holds the pixels only: image.info (EXIF, XMP, ICC profile) stays behind.
    clean = Image.new("RGB", flat.size)
    clean.paste(flat)
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
