"""The library in Spanish and Chinese: headings, statuses and the seeded vocabulary come from
the catalogues; study titles and quotations stay as published, marked lang="en"."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_library")]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "heading", "condition", "filter_heading"),
    [
        ("/es", "Biblioteca de evidencia", "Migraña", "Filtrar estudios"),
        ("/zh-hans", "证据库", "偏头痛", "筛选研究"),
    ],
)
def test_the_library_is_translated(client, prefix, heading, condition, filter_heading):
    html = page(client, f"{prefix}/evidence/")
    assert f"<h1>{heading}</h1>" in html
    assert f'<h2 id="filters-title">{filter_heading}</h2>' in html
    assert f'">{condition}</a>' in html
    assert "Evidence library" not in html
    # titles stay as published, and say which language they are in
    assert '/"><span lang="en">' in html


@pytest.mark.parametrize(
    ("prefix", "heading", "research"),
    [("/es", "Migraña", "Lo que dice la investigación"), ("/zh-hans", "偏头痛", "研究结果如何")],
)
def test_a_condition_page_is_translated(client, prefix, heading, research):
    html = page(client, f"{prefix}/conditions/migraine/")
    assert f"<h1>{heading}</h1>" in html
    assert f'<h2 id="research-title">{research}</h2>' in html


@pytest.mark.parametrize(
    ("prefix", "legend"),
    [("/es", "Respaldada"), ("/zh-hans", "得到支持")],
)
def test_claims_keep_their_words_and_translate_their_statuses(client, prefix, legend):
    html = page(client, f"{prefix}/evidence/claims/")
    assert f'<span class="badge badge-good">{legend}</span>' in html
    assert '<blockquote class="claim-text"><p lang="en">' in html
