"""Are the translations complete? Two questions, both asked by `manage.py check_translations`
in CI (docs/languages.md):

- Is every string a visitor can read marked for translation? A template's text between
  tags, and the attributes people read (aria-label, title, alt, placeholder, a meta
  description, a button's value, an option group's label), must come from {% translate %}
  or {% blocktranslate %}, or be a name nobody translates (ALWAYS_AS_WRITTEN).
- Does every catalogue translate every entry, with nothing fuzzy and every placeholder kept?
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import polib  # type: ignore[import-untyped]
from django.template.base import Lexer, TokenType

# Words left as written in every language: names of things, and codes.
ALWAYS_AS_WRITTEN = {
    "Meridian",
    "NCCAOM",
    "FHIR",
    "API",
    "JSON",
    "DOI",
    "PMID",
    "NPI",
    "OpenAPI",
    "PubMed",
    "Swagger",
    "GRADE",
    "CSV",
    "RIS",
    "BibTeX",
}
READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "aria-description"}
# What a template's tags become before the HTML is read: a variable or a translation is
# text of its own (marked, or data), any other tag is nothing.
# (Nothing at all for other tags: "<{% if a %}a{% else %}button{% endif %}>" is still a tag.)
SPOKEN, SILENT = "\x01", ""
TRANSLATING_TAGS = {"translate", "trans"}
LETTER = re.compile(r"[^\W\d_]")
ADDRESS = re.compile(r"\S*/\S*")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


@dataclass(frozen=True)
class Unmarked:
    line: int
    text: str


def template_as_html(source: str) -> str:
    """The template with its comments and translated blocks dropped, variables and
    {% translate %} turned into a placeholder character, and other tags removed; newlines
    are kept so line numbers still match."""
    parts: list[str] = []
    hidden = 0  # inside {% comment %} or {% blocktranslate %}
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in {"comment", "blocktranslate", "blocktrans"}:
                hidden += 1
                parts.append(SPOKEN if name != "comment" else SILENT)
            elif name in {"endcomment", "endblocktranslate", "endblocktrans"}:
                hidden -= 1
            elif not hidden:
                parts.append(SPOKEN if name in TRANSLATING_TAGS else SILENT)
        elif token.token_type == TokenType.VAR and not hidden:
            parts.append(SPOKEN)
        elif token.token_type == TokenType.TEXT and not hidden:
            parts.append(token.contents)
        parts.append("\n" * _newlines(token, hidden))
    return "".join(parts)


def _newlines(token, hidden: int) -> int:
    # Text tokens keep their own newlines; a tag or a hidden stretch spanning lines keeps them.
    if token.token_type == TokenType.TEXT and not hidden:
        return 0
    return token.contents.count("\n")


def needs_translation(text: str) -> bool:
    words = re.sub(r"&[a-z]+;|&#\d+;", " ", text.replace(SPOKEN, " "))
    words = ADDRESS.sub(" ", words)  # "{{ site }}/dashboard/": a path, not a word
    remaining = [word for word in re.split(r"[\s,.:;()/·|–—-]+", words) if word]
    return any(LETTER.search(word) and word not in ALWAYS_AS_WRITTEN for word in remaining)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[Unmarked] = []
        self.skipping: str | None = None  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self.skipping = tag
        values = dict(attrs)
        read = set(READ_ATTRIBUTES)
        if tag == "meta" and values.get("name") == "description":
            read.add("content")
        if tag == "input" and values.get("type") in {"submit", "button"}:
            read.add("value")
        if tag == "optgroup":
            read.add("label")
        for name, value in attrs:
            if name in read and value and needs_translation(value):
                self.found.append(Unmarked(self.getpos()[0], f'{name}="{value}"'))

    def handle_endtag(self, tag: str) -> None:
        if tag == self.skipping:
            self.skipping = None

    def handle_data(self, data: str) -> None:
        if self.skipping is None and needs_translation(data):
            line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
            self.found.append(Unmarked(line, " ".join(data.split())))


def unmarked(source: str) -> list[Unmarked]:
    """The strings in a template that a visitor reads and that are not marked."""
    reader = _Reader()
    reader.feed(template_as_html(source))
    reader.close()
    return reader.found


def template_files(roots: list[Path]) -> Iterator[Path]:
    for root in roots:
        for suffix in ("*.html", "*.txt"):
            yield from sorted(root.rglob(suffix))


def catalogue_problems(path: Path) -> list[str]:
    """Untranslated, fuzzy, or placeholders that differ from the English."""
    problems = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        where = f"{path}: {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where} is fuzzy")
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(translations):
            problems.append(f"{where} is not translated")
            continue
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        for translation in translations:
            if entry.msgid_plural:
                # A plural form may drop the count ("一个"), never a named placeholder.
                expected = sorted(set(PLACEHOLDER.findall(entry.msgid_plural)) - {"%d", "%s"})
                got = sorted(set(PLACEHOLDER.findall(translation)) - {"%d", "%s"})
            else:
                expected, got = wanted, sorted(PLACEHOLDER.findall(translation))
            if expected != got:
                problems.append(f"{where}: placeholders {expected} became {got}")
    return problems
