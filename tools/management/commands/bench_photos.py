from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from directory import photos
from tools import photos_bench

MB = 1_000_000


class Command(BaseCommand):
    help = (
        "Benchmark the memory a photo upload costs: for a photo at the pixel limit in each "
        "accepted format (PHOTO_MAX_PIXELS; lower for WebP), the rise of a process's peak "
        "resident memory while photo_prepare() handles it, each in a process of its own, "
        "against the budget (--budget-mb, default 300) and a floor measured in the same run: "
        "Pillow decoding every pixel of the same file and nothing else. Fails when a rise "
        "exceeds the budget. Linux only (/proc)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--budget-mb", type=int, default=300)
        parser.add_argument(
            "--pixels", type=int, default=None, help="Photo size (default PHOTO_MAX_PIXELS)."
        )
        parser.add_argument(
            "--formats", default=",".join(photos_bench.FORMATS), help="e.g. PNG,JPEG"
        )
        parser.add_argument("--child", choices=["prepare", "decode"], help=argparse.SUPPRESS)
        parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)

    def handle(self, *args, budget_mb: int, pixels: int | None, formats: str, **options):
        if options["child"]:
            rise = photos_bench.measure(options["child"], options["file"])
            self.stdout.write(json.dumps({"rise": rise}))
            return
        pixels = pixels or settings.PHOTO_MAX_PIXELS
        chosen = [name.strip().upper() for name in formats.split(",") if name.strip()]
        unknown = set(chosen) - set(photos_bench.FORMATS)
        if unknown or not chosen:
            raise CommandError(f"--formats takes some of {', '.join(photos_bench.FORMATS)}.")
        self.stdout.write(
            f"Photos at the pixel limit ({pixels:,}; WebP {photos.max_pixels('WEBP'):,}), "
            f"each handled in a process of its own; budget {budget_mb} MB."
        )
        self.stdout.write(
            f"{'format':<6} {'pixels':>10} {'file':>8} {'prepare':>9} {'floor':>9} "
            f"{'to floor':>9} {'to budget':>10}"
        )
        over = []
        with tempfile.TemporaryDirectory() as folder:
            for image_format in chosen:
                path = Path(folder) / photos_bench.FORMATS[image_format]
                limit = min(pixels, photos.max_pixels(image_format))
                path.write_bytes(photos_bench.photo_at(limit, image_format))
                prepare = self._child("prepare", path)
                floor = self._child("decode", path)
                to_budget = prepare / (budget_mb * MB)
                self.stdout.write(
                    f"{image_format:<6} {limit:>10,} {path.stat().st_size / 1000:>6.0f}KB "
                    f"{prepare / MB:>7.0f}MB {floor / MB:>7.0f}MB "
                    f"{prepare / floor:>9.2f} {to_budget:>10.2f}"
                )
                if to_budget > 1:
                    over.append(image_format)
        if over:
            raise CommandError(f"Over the budget of {budget_mb} MB: {', '.join(over)}.")
        self.stdout.write(f"Every format within the budget of {budget_mb} MB.")

    def _child(self, kind: str, path: Path) -> int:
        result = subprocess.run(
            [sys.executable, "manage.py", "bench_photos", "--child", kind, "--file", str(path)],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise CommandError(f"The {kind} process failed:\n{result.stderr[-2000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])["rise"]
