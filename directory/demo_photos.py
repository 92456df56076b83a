"""Portraits for the demo: an abstract head-and-shoulders silhouette on a soft gradient,
drawn offline with Pillow and seeded by the practitioner, so the demo shows photos beside
initials avatars without an image of a real person or a network fetch.

A portrait is handed to `directory.photos` as a PNG upload would be, so the demo's photos are
checked, re-encoded and stored exactly as a practitioner's are.
"""

from __future__ import annotations

import colorsys
import functools
import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from directory import photos

SIZE = max(photos.SIZES)
SCALE = 2  # the figure is drawn at twice the size and scaled down: Pillow's shapes have no
# anti-aliasing of their own
SHARE = 0.6  # of demo practitioners with a photo; the rest keep the initials avatar
# Distinct portraits. Re-encoding one through the upload path costs about 20 ms, so each is
# prepared once per process and practitioners who draw the same one get their own copy of
# its files (as two uploads of one picture would): load_demo stays about as fast as before.
PORTRAITS = 48


def has_photo(slug: str) -> bool:
    """Whether the demo practitioner `slug` gets a portrait (about SHARE of them)."""
    return random.Random(f"{slug}:has-photo").random() < SHARE


def portrait_png(seed: str) -> bytes:
    """A square PNG portrait placeholder, the same for the same seed."""
    rng = random.Random(f"{seed}:portrait")
    hue = rng.random()
    top = _colour(hue, lightness=0.86, saturation=0.45)
    bottom = _colour(hue + rng.uniform(-0.06, 0.06), lightness=0.70, saturation=0.40)
    # The figure in a deeper shade of the same family, so every portrait stays calm.
    figure = _colour(hue + rng.uniform(-0.08, 0.08), lightness=rng.uniform(0.30, 0.46),
                     saturation=rng.uniform(0.18, 0.32))  # fmt: skip
    background = Image.composite(
        Image.new("RGB", (SIZE, SIZE), bottom),
        Image.new("RGB", (SIZE, SIZE), top),
        Image.linear_gradient("L").resize((SIZE, SIZE)),
    )
    background.paste(figure, mask=_silhouette(rng))
    out = io.BytesIO()
    background.save(out, "PNG", compress_level=1)
    return out.getvalue()


def _silhouette(rng: random.Random) -> Image.Image:
    """A head-and-shoulders mask, SIZE square, with its edges smoothed."""
    side = SIZE * SCALE
    mask = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(mask)
    centre = side / 2 + rng.uniform(-0.03, 0.03) * side
    head = rng.uniform(0.15, 0.19) * side  # radius
    head_y = rng.uniform(0.38, 0.42) * side
    shoulders = rng.uniform(0.36, 0.44) * side  # half width
    draw.rounded_rectangle(
        [centre - shoulders, head_y + head * 1.6, centre + shoulders, side + shoulders],
        radius=shoulders * 0.75,
        fill=255,
    )
    neck = head * 0.45
    draw.rectangle([centre - neck, head_y, centre + neck, head_y + head * 1.9], fill=255)
    draw.ellipse(
        [centre - head * 0.92, head_y - head * 1.08, centre + head * 0.92, head_y + head * 1.08],
        fill=255,
    )
    return mask.reduce(SCALE)


def _colour(hue: float, *, lightness: float, saturation: float) -> tuple[int, int, int]:
    red, green, blue = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


@functools.cache
def _prepared(index: int) -> photos.PreparedPhoto:
    upload = ContentFile(portrait_png(f"demo:{index}"), name="portrait.png")
    return photos.photo_prepare(upload)


def practitioner_portrait_add(*, practitioner) -> None:
    """Give a demo practitioner their portrait (one of PORTRAITS, chosen by their slug),
    checked, re-encoded and stored by the upload's own code."""
    index = random.Random(f"{practitioner.slug}:portrait").randrange(PORTRAITS)
    photos.practitioner_photo_set(practitioner=practitioner, photo=_prepared(index))
