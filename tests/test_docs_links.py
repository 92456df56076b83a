"""Every link in the project's Markdown leads somewhere: a relative link names a file in the
repository, a `#fragment` names a heading of its target (slugged as GitHub does), and a web
address is well formed. Web addresses are not fetched: the suite never reaches the internet."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(
    [
        ROOT / "README.md",
        ROOT / "CHANGELOG.md",
        ROOT / "CONTRIBUTING.md",
        *(ROOT / "docs").glob("*.md"),
    ]
)

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# [text](target) and ![alt](target), the target optionally followed by a "title".
INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]"  # the text, which may hold one level of brackets
    r"\(\s*<?([^()\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)"  # (target "optional title")
)
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]*)>")


def outside_code(text: str) -> list[str]:
    """The lines outside fenced code blocks, where links and headings can be."""
    lines, fence = [], None
    for line in text.splitlines():
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        lines.append(line)
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text as shown, lower case, punctuation and symbols
    dropped (letters, digits, `_`, `-` and spaces stay), each space a hyphen."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link shows its text
    text = CODE_SPAN.sub(r"\2", text).replace("*", "")
    kept = (
        char for char in text.lower() if char in "_- " or unicodedata.category(char)[0] in "LNM"
    )
    return "".join(kept).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The fragments a Markdown file answers to: one per heading, a repeated slug numbered
    -1, -2, ... as GitHub numbers it."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in outside_code(path.read_text(encoding="utf-8")):
        heading = HEADING.match(line)
        if not heading:
            continue
        base = slug(heading.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def targets(path: Path) -> list[str]:
    """Every link target in the file's prose (code spans hold none)."""
    found = []
    for line in outside_code(path.read_text(encoding="utf-8")):
        line = CODE_SPAN.sub("``", line)
        found += INLINE_LINK.findall(line)
        found += AUTOLINK.findall(line)
        reference = REFERENCE.match(line)
        if reference:
            found.append(reference.group(1))
    return found


def broken_links(path: Path, root: Path = ROOT) -> list[str]:
    """What is wrong with the links of one Markdown file, one message per broken link."""
    problems = []
    for target in targets(path):
        parts = urlsplit(target)
        if parts.scheme in ("http", "https"):
            if not parts.netloc or " " in target:
                problems.append(f"{target}: not a well-formed web address")
            continue
        if parts.scheme == "mailto":
            continue
        if parts.scheme or parts.netloc or not target:
            problems.append(f"{target!r}: neither a relative link nor an http(s) address")
            continue
        linked = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if not linked.is_relative_to(root.resolve()):
            problems.append(f"{target}: outside the repository")
        elif not linked.exists():
            problems.append(f"{target}: no such file")
        elif parts.fragment:
            if linked.suffix != ".md":
                problems.append(f"{target}: a fragment on a file that is not Markdown")
            elif unquote(parts.fragment) not in anchors(linked):
                problems.append(f"{target}: no heading #{parts.fragment} in {linked.name}")
    return problems


def test_the_documents_exist():
    assert (ROOT / "docs" / "index.md") in DOCUMENTS
    assert all(path.is_file() for path in DOCUMENTS)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_link_leads_somewhere(path):
    assert broken_links(path) == []


def test_headings_slug_as_github_slugs_them():
    assert slug("The listing rule") == "the-listing-rule"
    assert slug("NPPES: `python manage.py import_nppes FILE`") == (
        "nppes-python-managepy-import_nppes-file"
    )
    assert slug("FHIR API: /fhir/") == "fhir-api-fhir"
    assert slug("Deploying, operations and scaling") == "deploying-operations-and-scaling"
    assert slug("What **is** [where](x.md)?") == "what-is-where"


GOOD = """# Guide
## Two words
## Two words
See [the other](other.md#section-one), [here](#two-words-1), [top](#guide),
[site](https://example.org/a?b=c), <https://example.org>, [ref].

```sh
[not a link](missing.md) in code
```

[ref]: other.md
"""


@pytest.mark.parametrize(
    ("markdown", "problem"),
    [
        ("[gone](missing.md)", "missing.md: no such file"),
        ("[gone](docs/missing.md#x)", "docs/missing.md#x: no such file"),
        ("[no such heading](other.md#section-two)", "no heading #section-two in other.md"),
        ("[here](#nowhere)", "#nowhere: no heading #nowhere in guide.md"),
        ("[case](other.md#Section-One)", "no heading #Section-One in other.md"),
        ("[web](https://)", "https://: not a well-formed web address"),
        ("[web](http:example.org)", "http:example.org: not a well-formed web address"),
        ("[ftp](ftp://example.org/f)", "neither a relative link nor an http(s) address"),
        ("[up](../../outside.md)", "../../outside.md: outside the repository"),
        ("[ref]\n\n[ref]: gone.md", "gone.md: no such file"),
    ],
)
def test_a_broken_link_is_found(tmp_path, markdown, problem):
    (tmp_path / "docs").mkdir()
    (tmp_path / "other.md").write_text("# Section one\n", encoding="utf-8")
    guide = tmp_path / "guide.md"
    guide.write_text(f"# Guide\n\n{markdown}\n", encoding="utf-8")

    problems = broken_links(guide, root=tmp_path)

    assert len(problems) == 1
    assert problem in problems[0]


def test_good_links_and_code_pass(tmp_path):
    (tmp_path / "other.md").write_text("# Section one\n", encoding="utf-8")
    guide = tmp_path / "guide.md"
    guide.write_text(GOOD, encoding="utf-8")

    assert broken_links(guide, root=tmp_path) == []
