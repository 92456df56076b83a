"""_filter over a live server: each operator of each parameter type finds what the plain
parameter finds, and/or/not keep their precedence, `ne` and `not` over resources made of
several rows keep meaning "does not match", _filter pages, counts, posts and runs strict
like any parameter, and every malformed or unsupported filter answers 400 naming _filter,
never 500 (a table, and random input to the parser and to the server)."""

from __future__ import annotations

import datetime
import urllib.parse

import pytest
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhir_api import search_filter, systems
from fhir_api.errors import FhirError
from tests.factories import (
    CertificationFactory,
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
)
from tests.fhir_api.conftest import (
    NOW,
    TODAY,
    clinic,
    clinics_changed_on_the_15th_and_20th,
    fetch,
    validate,
)

pytestmark = pytest.mark.django_db(transaction=True)

STRICT = {"Prefer": "handling=strict"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def query(**parameters) -> str:
    return urllib.parse.urlencode(parameters)


def matches(body: dict) -> list[dict]:
    return [
        entry["resource"] for entry in body.get("entry", []) if entry["search"]["mode"] == "match"
    ]


@pytest.fixture
def people():
    """Three practitioners whose names tell the operators and the precedence apart."""
    clinic("mei-chen", 37.77, -122.41, first_name="Mei", last_name="Chen", npi="1234567893")
    clinic("lan-nguyen", 37.78, -122.42, first_name="Lan", last_name="Nguyen")
    clinic("bao-nguyen", 37.79, -122.43, first_name="Bao", last_name="Nguyen")


@pytest.fixture
def slugs(fhir):
    """The practitioners a search finds: their ids, or for clinic types their
    practitioner's slug, as a set (no reliance on order)."""

    def found(path: str, **options) -> set[str]:
        answer = fhir(path, **options)
        assert answer.status == 200, answer.body
        validate(answer.body)
        return {_slug(resource) for resource in matches(answer.body)}

    return found


def _slug(resource: dict) -> str:
    if resource["resourceType"] == "Practitioner":
        return resource["id"]
    if resource["resourceType"] == "PractitionerRole":
        return resource["practitioner"]["reference"].removeprefix("Practitioner/")
    return resource["id"].rsplit("-", 1)[0]  # Location and Organization: <slug>-<digest>


def test_string_operators_mean_exact_starts_with_and_contains(people, slugs):
    def both(filter_: str, plain: str) -> set[str]:
        by_filter = slugs(f"Practitioner?{query(_filter=filter_)}")
        assert by_filter == slugs(f"Practitioner?{plain}")
        return by_filter

    assert both('family eq "Nguyen"', "family:exact=Nguyen") == {"lan-nguyen", "bao-nguyen"}
    assert both("family eq nguyen", "family:exact=nguyen") == set()  # exact is exact
    assert both("family sw ngu", "family=ngu") == {"lan-nguyen", "bao-nguyen"}
    assert both("name sw m", "name=m") == {"mei-chen"}
    assert both("family co he", "family:contains=he") == {"mei-chen"}
    assert both("given co A", "given:contains=a") == {"lan-nguyen", "bao-nguyen"}
    assert slugs(f"Practitioner?{query(_filter='family ne Nguyen')}") == {"mei-chen"}


def test_string_operators_on_clinic_types(people, slugs):
    city = "Location?" + query(_filter='address-city eq "San Francisco" and name sw clinic')
    assert slugs(city) == {"mei-chen", "lan-nguyen", "bao-nguyen"}
    assert slugs("Location?" + query(_filter="address-city co ortl")) == set()
    near = "Location?near=37.78|-122.42|50|km&" + query(_filter="not(_id eq x) and name sw c")
    assert slugs(near) == {"mei-chen", "lan-nguyen", "bao-nguyen"}
    one_fewer = "Location?near=37.78|-122.42|50|km&" + query(_filter="not(address-city sw s)")
    assert slugs(one_fewer) == set()
    assert slugs("Organization?" + query(_filter="address-postalcode sw 941")) == {
        "mei-chen",
        "lan-nguyen",
        "bao-nguyen",
    }


def test_token_id_and_reference_operators(people, slugs, fhir):
    npi = f"{systems.NPI}|1234567893"
    assert slugs("Practitioner?" + query(_filter=f"identifier eq {npi}")) == {"mei-chen"}
    assert slugs("Practitioner?" + query(_filter=f'identifier ne "{npi}"')) == {
        "lan-nguyen",
        "bao-nguyen",
    }
    assert slugs("Practitioner?" + query(_filter="_id eq lan-nguyen")) == {"lan-nguyen"}
    assert slugs("Practitioner?" + query(_filter="_id ne lan-nguyen")) == {"mei-chen", "bao-nguyen"}
    for operator in ("eq", "re"):
        found = (
            f"PractitionerRole?{query(_filter=f'practitioner {operator} Practitioner/bao-nguyen')}"
        )
        assert slugs(found) == {"bao-nguyen"}
    role = "PractitionerRole?" + query(_filter="practitioner ne Practitioner/bao-nguyen")
    assert slugs(role) == {"mei-chen", "lan-nguyen"}
    assert slugs("Location?" + query(_filter="_id eq x or name sw zzz")) == set()
    every = matches(fhir("Location?_count=50").body)
    chen_id = next(r["id"] for r in every if r["id"].startswith("mei-chen"))
    assert slugs("Location?" + query(_filter=f"_id eq {chen_id}")) == {"mei-chen"}
    assert slugs("Organization?" + query(_filter=f"_id ne {chen_id}")) == {
        "lan-nguyen",
        "bao-nguyen",
        "licensing-us",  # the board of their licenses, an issuer (licensing-us-ca)
    }


def test_date_operators_with_prefixes(fhir, time_machine, slugs):
    old, new = clinics_changed_on_the_15th_and_20th(time_machine)

    def found(kind: str, filter_: str) -> set[str]:
        if kind == "Organization":  # the practices; issuers' dates: test_issuers
            filter_ = f"({filter_}) and type eq prov"
        return slugs(f"{kind}?{query(_filter=filter_)}")

    for kind in ("Practitioner", "Location", "PractitionerRole", "Organization"):
        assert found(kind, f"_lastUpdated eq {old}") == {"old"}
        assert found(kind, f"_lastUpdated eq {old:%Y-%m}") == {"old", "new"}
        assert found(kind, f"_lastUpdated ne {old}") == {"new"}
        assert found(kind, f"_lastUpdated gt {old}") == {"new"}
        assert found(kind, f"_lastUpdated sa {old}") == {"new"}
        assert found(kind, f"_lastUpdated ge {old}") == {"old", "new"}
        assert found(kind, f"_lastUpdated lt {new}") == {"old"}
        assert found(kind, f"_lastUpdated eb {new}") == {"old"}
        assert found(kind, f"_lastUpdated le {new}") == {"old", "new"}
        assert found(kind, f'_lastUpdated ge "{new}T00:00:00Z"') == {"new"}


def test_and_binds_tighter_than_or_and_parentheses_group(people, slugs):
    def found(filter_: str) -> set[str]:
        return slugs(f"Practitioner?{query(_filter=filter_)}")

    # Chen or (Nguyen and Lan); read left to right it would be Lan alone.
    assert found("family eq Chen or family eq Nguyen and given eq Lan") == {
        "mei-chen",
        "lan-nguyen",
    }
    assert found("(family eq Chen or family eq Nguyen) and given eq Lan") == {"lan-nguyen"}
    # (Nguyen and Bao) or Mei; read right to left it would be Bao alone.
    assert found("family eq Nguyen and given eq Bao or given eq Mei") == {"bao-nguyen", "mei-chen"}
    assert found("family eq Nguyen and (given eq Bao or given eq Mei)") == {"bao-nguyen"}
    assert found("not(family eq Nguyen)") == {"mei-chen"}
    assert found("not (not(family eq Nguyen)) and not(given sw b)") == {"lan-nguyen"}
    assert found("not(family eq Chen or given eq Bao)") == {"lan-nguyen"}
    assert found("not(active eq true)") == set()  # a filter matching every row, negated
    assert found("active ne false") == {"mei-chen", "lan-nguyen", "bao-nguyen"}
    assert found("active eq true or family eq Nobody") == {"mei-chen", "lan-nguyen", "bao-nguyen"}


def test_ne_and_not_over_resources_of_several_rows(fhir, time_machine, slugs):
    """A role's specialties are its practitioner's techniques (many rows), a practitioner's
    lastUpdated the latest of the profile and every credential: `ne` keeps the resources
    none of whose rows match, not those with some row that does not."""
    from evidence.models import Intervention

    old = TODAY - datetime.timedelta(days=10)
    time_machine.move_to(datetime.datetime.combine(old, NOW.timetz()), tick=False)
    cupper, _ = clinic("cupper", 37.77, -122.41)
    clinic("needler", 37.77, -122.41)
    certification = CertificationFactory(practitioner=cupper)
    cupping, other = Intervention.objects.filter(is_technique=True).order_by("pk")[:2]
    cupper.techniques.add(cupping, other)
    time_machine.move_to(NOW, tick=False)
    certification.save()  # the certification changed today; the profile did not
    technique = f"{systems.technique_system()}|{cupping.slug}"

    def found(kind: str, filter_: str) -> set[str]:
        if kind == "Organization":  # the practices; issuers' dates: test_issuers
            filter_ = f"({filter_}) and type eq prov"
        return slugs(f"{kind}?{query(_filter=filter_)}")

    assert found("PractitionerRole", f"specialty eq {technique}") == {"cupper"}
    assert found("PractitionerRole", f"specialty ne {technique}") == {"needler"}
    assert found("PractitionerRole", f"not(specialty eq {technique})") == {"needler"}
    assert found("Practitioner", f"_lastUpdated eq {old}") == {"needler"}
    assert found("Practitioner", f"_lastUpdated ne {old}") == {"cupper"}
    assert found("Practitioner", f"not(_lastUpdated le {old})") == {"cupper"}
    acupuncturist = f"{systems.NUCC_TAXONOMY}|{systems.ACUPUNCTURIST[0]}"
    assert found("Practitioner", f"qualification-code eq {acupuncturist}") == {"cupper", "needler"}
    assert found("Practitioner", f"qualification-code ne {acupuncturist}") == set()


def test_negation_is_not_a_negated_join():
    """Django's ~Q over a multi-valued relation tests each condition on its own row; the
    negation _filter uses keeps the practitioners no single license matches in full."""
    from directory.models import Practitioner

    both, _ = clinic("both", 37.77, -122.41)  # a California L.Ac. license
    LicenseFactory(practitioner=both, region="NY", license_type="Dipl. Ac.")
    clinic("plain", 37.77, -122.41)
    one_license = Q(licenses__region="NY", licenses__license_type="L.Ac.")  # nobody has it

    def slugs(q: Q) -> set[str]:
        return set(Practitioner.objects.listable().filter(q).values_list("slug", flat=True))

    assert slugs(one_license) == set()
    assert slugs(~one_license) == {"plain"}  # what a negated join would answer
    assert slugs(search_filter.not_matching("Practitioner", one_license)) == {"both", "plain"}
    assert slugs(search_filter.not_matching("Practitioner", Q())) == set()


def test_several_filters_and_other_parameters_are_all_required(people, slugs):
    both = query(_filter="family eq Nguyen") + "&" + query(_filter="given sw l")
    assert slugs(f"Practitioner?{both}") == {"lan-nguyen"}
    assert slugs(f"Practitioner?{query(_filter='family eq Nguyen', given='bao')}") == {"bao-nguyen"}


def test_pages_to_the_end_counts_posts_and_strict(fhir, live_server, slugs):
    for number in range(7):
        clinic(f"p{number}", 37.77, -122.41, first_name="Jo", last_name=f"Lee{number % 2}")
    filter_ = "family eq Lee0 or _id eq p1"  # p0, p1, p2, p4, p6
    expected = {"p0", "p1", "p2", "p4", "p6"}
    url, seen, pages = f"Practitioner?{query(_filter=filter_, _count=2)}", [], 0
    while url:
        answer = fhir(url.removeprefix(f"{live_server.url}/fhir/"))
        assert answer.status == 200
        validate(answer.body)
        seen += [resource["id"] for resource in matches(answer.body)]
        links = {link["relation"]: link["url"] for link in answer.body["link"]}
        assert "_filter=" in links["self"]
        url, pages = links.get("next", ""), pages + 1
        if url:
            assert urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["_filter"] == [filter_]
    assert pages == 3 and sorted(seen) == sorted(expected) and answer.body["total"] == 5
    for counted in ("_summary=count", "_count=0"):
        body = fhir(f"Practitioner?{query(_filter=filter_)}&{counted}").body
        assert body["total"] == 5 and "entry" not in body
    post = fetch(
        f"{live_server.url}/fhir/Practitioner/_search",
        method="POST",
        headers=FORM,
        data=query(_filter=filter_).encode(),
    )
    assert post.status == 200
    assert {resource["id"] for resource in matches(post.body)} == expected
    assert slugs(f"Practitioner?{query(_filter=filter_)}", headers=STRICT) == expected
    bad = fetch(
        f"{live_server.url}/fhir/Practitioner/_search",
        method="POST",
        headers=FORM,
        data=query(_filter="family zz Lee0").encode(),
    )
    assert bad.status == 400 and bad.diagnostics().startswith("_filter:")


def test_the_directory_endpoint_answers_a_filter_over_what_it_can_be_told_apart_by(fhir):
    practitioner = PractitionerFactory(slug="booker")
    LocationFactory(practitioner=practitioner, booking_url="https://book.example.org/booker")
    LicenseFactory(practitioner=practitioner)

    def ids(path: str) -> set[str]:
        return {resource["id"] for resource in matches(fhir(path).body)}

    assert "meridian-fhir" in ids("Endpoint?status=active")
    filtered = ids("Endpoint?" + query(_filter="status eq active"))
    assert "meridian-fhir" in filtered and len(filtered) == 2
    assert ids("Endpoint?" + query(_filter="_id eq meridian-fhir")) == {"meridian-fhir"}
    assert (
        fhir("Endpoint?" + query(_filter="status eq active", _summary="count")).body["total"] == 2
    )
    # A filter naming a parameter it has no answer to (it has no practice) leaves it out.
    by_practice = ids("Endpoint?" + query(_filter="status eq active and organization ne x"))
    assert by_practice and "meridian-fhir" not in by_practice


NESTED = "(" * 500 + "_id eq x" + ")" * 500
ERRORS = [
    # (type, filter, code, words the diagnostics hold)
    ("Practitioner", "", "invalid", "empty"),
    ("Practitioner", "   ", "invalid", "empty"),
    ("Practitioner", "(family eq Chen", "invalid", "not closed"),
    ("Practitioner", "family eq Chen)", "invalid", "closes no"),
    ("Practitioner", "family eq Chen and", "invalid", "found the end"),
    ("Practitioner", "family eq", "invalid", "value"),
    ("Practitioner", "family", "invalid", "operator"),
    ("Practitioner", "family xx Chen", "invalid", "expected an operator"),
    ("Practitioner", "family EQ Chen", "invalid", "lower case"),
    ("Practitioner", "family eq Chen AND given eq Mei", "invalid", "lower case"),
    ("Practitioner", "NOT(family eq Chen)", "invalid", "lower case"),
    ("Practitioner", "family eq Chen given eq Mei", "invalid", "character 16"),
    ("Practitioner", 'family eq "Chen"and given eq Mei', "invalid", "space before 'and'"),
    ("Practitioner", 'family eq "Chen', "invalid", "not closed"),
    ("Practitioner", 'family eq "\\x"', "invalid", "JSON escape"),
    ("Practitioner", 'family eq "\\ud800"', "invalid", "Unicode"),
    ("Practitioner", 'family eq "a\\u0000"', "invalid", "NUL"),
    ("Practitioner", 'family eq ""', "invalid", "empty value"),
    ("Practitioner", NESTED, "too-costly", "nested deeper"),
    ("Practitioner", "(" * 1000 + "_id eq x" + ")" * 1000, "too-costly", "longer than"),
    ("Practitioner", "(" * 1000, "too-costly", "nested deeper"),
    ("Practitioner", "not(" * 100 + "_id eq x" + ")" * 100, "too-costly", "nested deeper"),
    ("Practitioner", "_id eq " + "x" * 3000, "too-costly", "longer than"),
    ("Practitioner", " or ".join(["_id eq x"] * 40), "too-costly", "comparisons"),
    ("Practitioner", "_id eq " + "x" * 201, "invalid", "longer than"),
    ("Practitioner", "family ew en", "not-supported", "ew"),
    ("Practitioner", "family gt Chen", "not-supported", "family"),
    ("Practitioner", "_id co x", "not-supported", "_id"),
    ("Practitioner", "identifier sw x", "not-supported", "identifier"),
    ("Practitioner", "_lastUpdated ap 2026", "not-supported", "ap"),
    ("Practitioner", "_lastUpdated co 2026", "not-supported", "co"),
    ("Practitioner", "_lastUpdated pr true", "not-supported", "pr"),
    ("PractitionerRole", "practitioner sw Practitioner/x", "not-supported", "practitioner"),
    ("PractitionerRole", "specialty in x", "not-supported", "in"),
    ("Practitioner", "_lastUpdated eq yesterday", "invalid", "not a FHIR date"),
    ("Practitioner", "_lastUpdated eq gt2026", "invalid", "_lastUpdated"),
    ("PractitionerRole", "practitioner eq Location/x", "invalid", "reference to Practitioner"),
    ("Practitioner", "colour eq blue", "not-supported", "colour"),
    ("Practitioner", "_filter eq x", "not-supported", "_filter"),
    ("Location", "near eq 37.7|-122.4", "not-supported", "near"),
    ("PractitionerRole", "location.near eq 37.7|-122.4", "not-supported", "chained"),
    ("PractitionerRole", "practitioner.name eq Chen", "not-supported", "chained"),
    ("Practitioner", "qualification[code eq x].issuer eq y", "not-supported", "filtered paths"),
    ("Practitioner", "family:exact eq Chen", "not-supported", "modifiers"),
    ("Practitioner", "fam!ly eq Chen", "invalid", "not a search parameter name"),
]


@pytest.mark.parametrize(("kind", "filter_", "code", "words"), ERRORS)
def test_bad_filters_answer_400_naming_filter(fhir, kind, filter_, code, words):
    answer = fhir(f"{kind}?{query(_filter=filter_)}")
    assert answer.status == 400, answer.body
    validate(answer.body)
    assert answer.diagnostics().startswith("_filter:")
    assert words in answer.diagnostics()
    assert answer.body["issue"][0]["code"] == code


def test_filter_refused_where_it_is_not_declared(fhir):
    assert fhir("Practitioner?_filter:exact=" + urllib.parse.quote("_id eq x")).status == 400
    assert fhir("Practitioner?_filter=%00").status == 400
    lenient = fhir("VerificationResult?" + query(_filter="_id eq x"))
    assert lenient.status == 200  # unknown to this type: ignored, as any unknown parameter
    strict = fhir("VerificationResult?" + query(_filter="_id eq x"), headers=STRICT)
    assert strict.status == 400 and "_filter" in strict.diagnostics()


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(list('()"\\ ab_eqnotrdsw.[]:\t')), max_size=60) | st.text())
def test_the_parser_answers_a_tree_or_a_fhir_error(text):
    try:
        search_filter.parse("_filter", text)
    except FhirError as error:
        assert error.status == 400 and error.diagnostics.startswith("_filter:")


PIECES = [
    "family",
    "_id",
    "_lastUpdated",
    "identifier",
    "qualification-code",
    "eq",
    "ne",
    "sw",
    "co",
    "gt",
    "ew",
    "and",
    "or",
    "not(",
    "(",
    ")",
    '"a b"',
    "2026-01",
    "x",
    "Practitioner/x",
]


@pytest.fixture
def listed():
    return clinic("seed", 37.77, -122.41)


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(["Practitioner", "PractitionerRole", "Location"]),
    pieces=st.lists(st.sampled_from(PIECES), max_size=12),
)
def test_any_filter_made_of_its_words_answers_200_or_400(fhir, listed, kind, pieces):
    answer = fhir(f"{kind}?{query(_filter=' '.join(pieces))}")
    assert answer.status in {200, 400}, (pieces, answer.body)
    validate(answer.body)
    if answer.status == 400:
        assert answer.diagnostics().startswith("_filter:")
