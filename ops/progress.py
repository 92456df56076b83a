"""A progress bar for long management commands: redrawn in place on a terminal, a line
every tenth of the way otherwise (logs, tests)."""

from __future__ import annotations

from typing import TextIO

from django.core.management.base import OutputWrapper


class ProgressBar:
    WIDTH = 30

    def __init__(self, stream: TextIO | OutputWrapper, *, label: str) -> None:
        self.stream, self.label = stream, label
        self.interactive = getattr(stream, "isatty", lambda: False)()
        self.shown_tenth = -1
        self.drawn = False

    def update(self, done: int, total: int) -> None:
        if total <= 0:
            return
        if self.interactive:
            if done % 100 and done != total:
                return
            filled = self.WIDTH * done // total
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self._write(f"\r[{bar}] {done}/{total} {self.label}")
            self.drawn = True
            return
        tenth = 10 * done // total
        if tenth > self.shown_tenth:
            self.shown_tenth = tenth
            self._write(f"{done}/{total} {self.label}\n")

    def finish(self) -> None:
        if self.drawn:
            self._write("\n")

    def _write(self, text: str) -> None:
        # Django's OutputWrapper ends every write with a newline unless told otherwise.
        if isinstance(self.stream, OutputWrapper):
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()
