"""The files a Docker build's `COPY . .` takes: every file of the build context that
.dockerignore does not exclude, by Docker's own rules (patterns relative to the context,
`*` and `?` within one path element, `**` across any number, a pattern that matches a
directory excludes everything under it, `!` re-includes, the last matching line wins)."""

from __future__ import annotations

import os
import re
from pathlib import Path


def rules(text: str) -> list[tuple[bool, re.Pattern[str]]]:
    parsed = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        include = line.startswith("!")
        pattern = os.path.normpath(line.removeprefix("!").strip().lstrip("/"))
        parsed.append((include, re.compile(_regex(pattern))))
    return parsed


def _regex(pattern: str) -> str:
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
            continue
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.index("]", index)
            out.append("[" + pattern[index + 1 : end].replace("!", "^", 1) + "]")
            index = end
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            out.append(re.escape(pattern[index]))
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


def excluded(path: str, parsed: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Whether `path` (relative, with /) is left out: a pattern matches it or a parent."""
    parts = path.split("/")
    candidates = ["/".join(parts[: end + 1]) for end in range(len(parts))]
    result = False
    for include, regex in parsed:
        if any(regex.fullmatch(candidate) for candidate in candidates):
            result = not include
    return result


def build_context(root: Path) -> list[str]:
    """Every file `COPY . .` copies from `root`, as paths relative to it."""
    parsed = rules((root / ".dockerignore").read_text())
    may_reinclude = any(include for include, _ in parsed)
    files = []
    for directory, subdirectories, names in os.walk(root):
        relative = Path(directory).relative_to(root).as_posix()
        prefix = "" if relative == "." else relative + "/"
        if not may_reinclude:
            subdirectories[:] = [d for d in subdirectories if not excluded(prefix + d, parsed)]
        files += [prefix + name for name in names if not excluded(prefix + name, parsed)]
    return sorted(files)
