"""/api/v1/studies/, /api/v1/studies/<slug>/, /api/v1/claims/, /api/v1/conditions/."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from evidence.models import Condition
from tests.factories import PractitionerFactory, StudyFactory, listed_practitioner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_library")]


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.content
    return response.json()


def test_study_list_has_the_library_filters(client):
    body = get(client, "/api/v1/studies/?condition=migraine&design=rct&year_from=2018")
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    assert [study["slug"] for study in body["results"]] == ["acumigran-2021", "xu-2020-bmj"]
    assert body["results"][1] == {
        "slug": "xu-2020-bmj",
        "url": "/evidence/studies/xu-2020-bmj/",
        "title": "Manual acupuncture versus sham acupuncture and usual care for prophylaxis of "
        "episodic migraine without aura: multicentre, randomised clinical trial",
        "authors": [
            "Xu S",
            "Yu L",
            "Luo X",
            "Wang M",
            "Chen G",
            "Zhang Q",
            "Liu W",
            "Zhou Z",
            "Song J",
            "Jing H",
            "Huang G",
            "Liang F",
            "Wang H",
            "Wang W",
        ],
        "journal": "BMJ",
        "year": 2020,
        "citation_detail": "368:m697",
        "doi": "10.1136/bmj.m697",
        "doi_url": "https://doi.org/10.1136/bmj.m697",
        "pmid": "32213509",
        "pubmed_url": "https://pubmed.ncbi.nlm.nih.gov/32213509/",
        "pmcid": "PMC7249245",
        "identifier_checked": True,
        "design": "rct",
        "certainty": "not_graded",
        "included_studies": None,
        "participants": 150,
        "conditions": ["episodic-migraine-without-aura"],
        "interventions": ["acupuncture"],
    }


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("q=cupping", ["mohandes-2024-cupping"]),
        ("intervention=neuromodulation", ["jhp-2023-imaging-review"]),
        ("certainty=not_graded&year_to=2006", ["diener-2006-gerac"]),
    ],
)
def test_study_list_searches_and_filters_like_the_page(client, query, slugs):
    assert [s["slug"] for s in get(client, f"/api/v1/studies/?{query}")["results"]] == slugs


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("year_from=soon", {"year_from": ["Enter a whole number."]}),
        (
            "year_from=&year_to=",
            {
                name: ["Give a value, or leave the parameter out."]
                for name in ("year_from", "year_to")
            },
        ),
        (
            "year_from=2020&year_to=2019",
            {"year_to": ["The last year must not be before the first year."]},
        ),
        (
            "condition=hiccups&design=opinion",
            {
                "condition": [
                    "Select a valid choice. That choice is not one of the available choices."
                ],
                "design": ["Select a valid choice. opinion is not one of the available choices."],
            },
        ),
        ("page=0", {"page": ["Invalid page."]}),
        ("page=2", {"page": ["Invalid page."]}),
        ("q=%00", {"q": ["Null characters are not allowed."]}),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(client, query, errors):
    assert get(client, f"/api/v1/studies/?{query}", status=400) == {
        "detail": "Invalid input.",
        "errors": errors,
    }


def test_study_list_pages_by_fifty(client):
    StudyFactory.create_batch(45, design="cohort")
    first = get(client, "/api/v1/studies/")
    assert (first["count"], len(first["results"])) == (54, 50)
    assert first["next"] == "http://testserver/api/v1/studies/?page=2"
    assert len(get(client, first["next"])["results"]) == 4


# What the starter's outcomes say beyond their figures: no grade, nothing in words.
UNGRADED = {
    "intervention_as_reported": "",
    "measure_as_reported": "",
    "result": "",
    "studies": None,
    "certainty": "not_graded",
    "certainty_in_words": "Not graded: the source did not rate how certain this finding is.",
}


def test_study_detail_has_outcomes_exactly_as_reported(client):
    body = get(client, "/api/v1/studies/mohandes-2024-cupping/")
    assert body["identifier_checked"] is False
    assert body["comparators"] == []
    assert (
        body["notes"]
        == "DOI seen on an index page; PMID seen only on a mirror: treat the PMID as unchecked."
    )
    assert body["outcomes"] == [
        {
            "outcome": "treatment success",
            "intervention": "cupping",
            "comparator": "control",
            "measure": "RR",
            "estimate": 1.83,
            "ci_low": 1.52,
            "ci_high": 2.21,
            "participants": None,
            "direction": "not_stated",
        }
        | UNGRADED,
        {
            "outcome": "treatment success",
            "intervention": "wet-cupping",
            "comparator": "control",
            "measure": "RR",
            "estimate": 1.88,
            "ci_low": 1.53,
            "ci_high": 2.3,
            "participants": None,
            "direction": "not_stated",
        }
        | UNGRADED,
        {
            "outcome": "pain reduction from baseline",
            "intervention": "cupping",
            "comparator": "control",
            "measure": "SMD",
            "estimate": 0.55,
            "ci_low": 0.39,
            "ci_high": 0.7,
            "participants": None,
            "direction": "not_stated",
        }
        | UNGRADED,
    ]


def test_unknown_study_is_404_in_the_shared_error_shape(client):
    assert get(client, "/api/v1/studies/nope/", status=404) == {
        "detail": "No Study matches the given query.",
        "errors": {},
    }


def test_claims_carry_status_and_whether_they_are_established(client):
    body = get(client, "/api/v1/claims/?status=contradicted")
    assert body == [
        {
            "id": body[0]["id"],
            "text": "The 2024 AAN/AHS consensus statement recommends acupuncture as a Level A "
            "option for migraine prevention.",
            "status": "contradicted",
            "status_label": "Contradicted",
            "established": False,
            "explanation": "The 2012 AAN/AHS guideline does not list acupuncture; no 2024 "
            "statement was found.",
            "studies": [
                {
                    "slug": "holland-2012-aan-ahs",
                    "url": "/evidence/studies/holland-2012-aan-ahs/",
                    "title": "Evidence-based guideline update: NSAIDs and other complementary "
                    "treatments for episodic migraine prevention in adults",
                    "year": 2012,
                    "identifier_checked": True,
                }
            ],
            "conditions": ["migraine"],
        }
    ]
    everything = get(client, "/api/v1/claims/?condition=migraine")
    assert [(c["status"], c["established"]) for c in everything] == [
        ("unverified", False),
        ("unverified", False),
        ("contradicted", False),
        ("unsupported", False),
        ("supported", True),
        ("partly_supported", True),
        ("supported", True),
        ("unverified", False),
    ]
    assert get(client, "/api/v1/claims/?status=maybe", status=400) == {
        "detail": "Invalid input.",
        "errors": {"status": ["Select a valid choice. maybe is not one of the available choices."]},
    }


def test_conditions_count_only_listable_practitioners(client):
    migraine = Condition.objects.get(slug="migraine")
    chronic = Condition.objects.get(slug="chronic-migraine")
    listed = listed_practitioner()
    listed.conditions.set([migraine, chronic])
    listed_practitioner().conditions.set([migraine])
    PractitionerFactory().conditions.set([migraine])  # no license: never counted
    listed_practitioner(published=False).conditions.set([migraine])  # unpublished

    body = {c["slug"]: c for c in get(client, "/api/v1/conditions/")}

    assert len(body) == Condition.objects.count()
    assert body["migraine"] == {
        "slug": "migraine",
        "name": "Migraine",
        "parent": None,
        "url": "/conditions/migraine/",
        "practitioners": 2,
        "studies": 9,
    }
    assert body["chronic-migraine"]["practitioners"] == 1
    assert (body["episodic-migraine"]["parent"], body["episodic-migraine"]["studies"]) == (
        "migraine",
        3,
    )
    assert body["insomnia"]["practitioners"] == body["insomnia"]["studies"] == 0


def test_every_evidence_endpoint_is_in_a_valid_schema(client, tmp_path):
    schema = client.get("/api/schema/").content.decode()
    for path in [
        "/api/v1/studies/:",
        "/api/v1/studies/{slug}/:",
        "/api/v1/claims/:",
        "/api/v1/conditions/:",
    ]:
        assert path in schema
    # drf-spectacular validates the schema against the OpenAPI spec and fails on warnings
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
