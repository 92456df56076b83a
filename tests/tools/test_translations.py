"""The translation checks CI runs: which template strings count as unmarked, which catalogue
entries as unfinished, and the compiler that needs no GNU gettext."""

from __future__ import annotations

from io import StringIO

import polib
import pytest
from django.core.management import call_command

from tools.translations import catalogue_problems, unmarked


def texts(source: str) -> list[str]:
    return [found.text for found in unmarked(source)]


def test_text_a_visitor_reads_must_be_marked():
    assert texts("<h1>Find a practitioner</h1>") == ["Find a practitioner"]
    assert texts('<nav aria-label="Main"></nav>') == ['aria-label="Main"']
    assert texts('<img src="x.png" alt="A map">') == ['alt="A map"']
    assert texts('<meta name="description" content="Verified acupuncturists">') == [
        'content="Verified acupuncturists"'
    ]
    assert texts('<input type="submit" value="Save">') == ['value="Save"']
    assert texts("<p>Hello {{ name }}, welcome</p>") == ["Hello \x01, welcome"]


def test_marked_text_names_and_code_pass():
    assert texts('{% load i18n %}<h1>{% translate "Find a practitioner" %}</h1>') == []
    assert texts("<p>{% blocktranslate trimmed %}Hello {{ name }}{% endblocktranslate %}</p>") == []
    assert texts("<nav aria-label=\"{% translate 'Main' %}\"></nav>") == []
    assert texts("{% comment %}Why this is so{% endcomment %}<p>{{ count }} · 42</p>") == []
    assert texts("<script>const label = 'Loading';</script><style>p { color: red }</style>") == []
    assert texts("<p>Meridian · NCCAOM · FHIR</p>") == []
    assert texts("{{ site }}/dashboard/") == []


def test_the_line_of_an_unmarked_string_is_reported():
    (found,) = unmarked("{% load i18n %}\n<p>{% translate 'Fine' %}</p>\n\n<p>Not fine</p>")
    assert (found.line, found.text) == (4, "Not fine")


def catalogue(tmp_path, *entries: polib.POEntry):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    for entry in entries:
        po.append(entry)
    path = tmp_path / "django.po"
    po.save(str(path))
    return path


def test_a_complete_catalogue_has_no_problems(tmp_path):
    path = catalogue(
        tmp_path,
        polib.POEntry(msgid="Search", msgstr="Buscar"),
        polib.POEntry(msgid="Verified on %(date)s", msgstr="Verificado el %(date)s"),
    )
    assert catalogue_problems(path) == []


def test_untranslated_fuzzy_and_lost_placeholders_are_problems(tmp_path):
    path = catalogue(
        tmp_path,
        polib.POEntry(msgid="Search", msgstr=""),
        polib.POEntry(msgid="Evidence", msgstr="Evidencia", flags=["fuzzy"]),
        polib.POEntry(msgid="Verified on %(date)s", msgstr="Verificado"),
    )
    problems = catalogue_problems(path)
    assert len(problems) == 3
    assert "'Search' is not translated" in problems[0]
    assert "'Evidence' is fuzzy" in problems[1]
    assert "placeholders ['%(date)s'] became []" in problems[2]


def test_catalogues_compile_without_gnu_gettext(tmp_path, settings):
    messages = tmp_path / "es" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    po.append(polib.POEntry(msgid="Search", msgstr="Buscar"))
    po.append(polib.POEntry(msgid="Evidence", msgstr="Evidencia", flags=["fuzzy"]))
    po.save(str(messages / "django.po"))
    settings.LOCALE_PATHS = [tmp_path]
    output = StringIO()
    call_command("compile_translations", stdout=output)
    assert "Compiled 1 catalogue(s)." in output.getvalue()
    compiled = polib.mofile(str(messages / "django.mo"))
    assert {entry.msgid: entry.msgstr for entry in compiled} == {"Search": "Buscar"}
    again = StringIO()
    call_command("compile_translations", stdout=again)  # up to date: left alone
    assert "Compiled 0 catalogue(s)." in again.getvalue()


@pytest.mark.django_db
def test_the_shipped_catalogues_are_complete():
    """What CI's check_translations refuses, on the committed catalogues as they are."""
    call_command("check_translations", "--no-refresh", stdout=StringIO())
