"""The photo memory benchmark's pieces: an upload at the pixel limit, and the peak memory a
process gains while it handles one, measured in a process of its own (bench_photos)."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from directory import photos

# What Pillow writes for each format, and the upload's name.
FORMATS = {"PNG": "photo.png", "JPEG": "photo.jpg", "WEBP": "photo.webp"}


def photo_at(pixels: int, image_format: str) -> bytes:
    """A square photo of at most `pixels` pixels, of a few flat shapes: it compresses to a
    few hundred KB (as the hostile upload did) and decodes to the whole size."""
    side = math.isqrt(pixels)
    image = Image.new("RGB", (side, side), (232, 240, 236))
    draw = ImageDraw.Draw(image)
    draw.ellipse((side // 4, side // 8, 3 * side // 4, 5 * side // 8), fill=(11, 110, 79))
    draw.rectangle((0, 3 * side // 4, side, side), fill=(40, 60, 90))
    out = io.BytesIO()
    options = {"quality": 60, "method": 0} if image_format == "WEBP" else {"quality": 85}
    image.save(out, image_format, **({} if image_format == "PNG" else options))
    return out.getvalue()


def _memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def peak_rise(action: Callable[[], object]) -> int:
    """Bytes by which this process's peak resident memory rises above what it held before,
    while `action` runs. Linux: the peak is reset first (/proc/self/clear_refs)."""
    Path("/proc/self/clear_refs").write_text("5")
    before = _memory_kb("VmRSS")
    action()
    return (_memory_kb("VmHWM") - before) * 1024


def measure(kind: str, path: Path) -> int:
    """In a fresh process: "prepare" (photos.photo_prepare, as an upload is) or "decode"
    (Pillow decoding every pixel, nothing else: the floor for a format Pillow cannot decode
    at a smaller scale)."""
    data = path.read_bytes()
    # Pillow's plugins and codecs load on first use: not the upload's cost.
    small = io.BytesIO()
    Image.new("RGB", (8, 8)).save(small, path.suffix.lstrip(".").replace("jpg", "jpeg"))
    photos.photo_prepare(SimpleUploadedFile(path.name, small.getvalue()))

    def prepare() -> object:
        return photos.photo_prepare(SimpleUploadedFile(path.name, data))

    def decode() -> object:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return image.size

    return peak_rise(prepare if kind == "prepare" else decode)
