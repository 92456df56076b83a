"""The offline gazetteer: US ZIP codes, world cities of 5,000+ people and postcodes abroad,
loaded into `directory_place` (directory.place_loading) so that geocoding and place
autocomplete are answered by PostgreSQL without any network; and the one ranking of the
places a text may mean (see rank, and docs/places.md)."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Case, Q, QuerySet, Value, When
from django.db.models.functions import Left, Length
from django.utils.translation import gettext_lazy as _

from common import jurisdictions
from directory import addresses, place_aliases, postcodes
from directory.expressions import Levenshtein, Normalize
from directory.models import Place, PlaceKind

US_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")

# Towns from ZIP data have no population; more ZIP codes means a bigger town.
BIGGEST_FIRST = ("-population", "-zip_codes", "name", "id")
# Spelling distances, in powers of ten of size (see rank).
EXACT, STARTS_WITH, SLIP, ALIKE = 0.0, 2.0, 1.0, 5.0
# Candidates each way of matching reads, largest first, before they are ranked together.
POOL = 50
# Towns from ZIP data (no population) rank as if of 1,000 to 3,000 people: below any city
# of GeoNames (5,000+) of the same country.
ZIP_TOWN_SIZE = 3.0
# Places in the directory's country count as if ten times larger.
COUNTRY_BONUS = 1.0
# Places within this factor in size, as close in spelling, are offered as "Did you mean".
AMBIGUITY_FACTOR = 20
MAX_ALTERNATIVES = 4
ZIP_NOTE = _("we place street addresses by their ZIP code")
POSTCODE_NOTE = _("we place street addresses by their postcode")
TOWN_NOTE = _("without a ZIP code, we place street addresses by their town")
ADDRESS_REFUSAL = _(
    "We could not place this address: add its ZIP code (“123 Main St, Portland, OR 97205”) "
    "or its town and state."
)
# Shorter text is still being typed: only names that start with it are suggested.
TYPO_MIN_LENGTH = 4
COUNTRY_ALIASES = {"uk": "GB", "usa": "US", "u.s.": "US", "u.s.a.": "US"}

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def fold(text: str) -> str:
    """Lower case without accents, as meridian_normalize() does in the database."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


@dataclass(frozen=True)
class Candidate:
    """A place that may be what was typed, with what ranks it (see rank)."""

    place: Place
    # How far the spelling is from what was typed, in the units of size (powers of ten):
    # EXACT, STARTS_WITH, SLIP per letter wrong, ALIKE and worse.
    closeness: float
    size: float  # log10 of its people, plus COUNTRY_BONUS in the directory's country

    @property
    def score(self) -> float:
        return self.size - self.closeness

    @property
    def tier(self) -> int:
        """Names that are or start with the text, then misspelt ones, then alike ones:
        a list of suggestions never puts a guess before a name that fits."""
        return 0 if self.closeness <= STARTS_WITH else 1 if self.closeness < ALIKE else 2

    @property
    def key(self) -> tuple[int, float, float, str, int]:
        return (self.tier, -self.score, self.closeness, self.place.label, self.place.pk or 0)


@dataclass(frozen=True)
class Resolution:
    """What a text resolves to: the candidates best first, a note on how it was placed
    ("we place street addresses by their ZIP code"), or a refusal saying why not."""

    candidates: list[Candidate]
    note: StrOrPromise = ""
    refusal: StrOrPromise = ""

    @property
    def place(self) -> Place | None:
        return self.candidates[0].place if self.candidates else None

    @property
    def alternatives(self) -> list[Place]:
        """Other places that match about as well as the first ("Springfield"): as close in
        spelling, and within a factor of AMBIGUITY_FACTOR in score."""
        if not self.candidates:
            return []
        best = self.candidates[0]
        others = [
            candidate.place
            for candidate in self.candidates[1:]
            if candidate.closeness == best.closeness
            and candidate.score >= best.score - math.log10(AMBIGUITY_FACTOR)
            and candidate.place.label != best.place.label
        ]
        return list({place.label: place for place in others}.values())[:MAX_ALTERNATIVES]


def rank(candidates: Iterable[Candidate]) -> list[Candidate]:
    """THE order of places for a text, for the search and the suggestion list alike, by
    one score: size (cities by population, US towns from ZIP data by their number of ZIP
    codes, below any city; places in the directory's country (settings.DIRECTORY_COUNTRY)
    count ten times larger) less the distance in spelling: a name that only starts with
    the text must be a hundred times larger than one that is the text ("san": San Antonio
    before San, Mali). Misspelt names come after every name that fits, fewest slips and
    largest first; names only alike after those. A place found several ways keeps its
    best."""
    best: dict[object, Candidate] = {}
    for candidate in candidates:
        identity = candidate.place.pk or candidate.place.label
        if identity not in best or candidate.key < best[identity].key:
            best[identity] = candidate
    return sorted(best.values(), key=lambda candidate: candidate.key)


def size(place: Place) -> float:
    if place.population:
        people = math.log10(place.population)
    elif place.kind == PlaceKind.CITY:
        people = ZIP_TOWN_SIZE + 0.5 * math.log10(max(place.zip_codes, 1))
    else:
        people = 0.0  # postal codes: none is larger than another
    return people + (COUNTRY_BONUS if place.country == settings.DIRECTORY_COUNTRY else 0.0)


def find(text: str) -> Place | None:
    """The best place for free text such as "10001", "Brooklyn, NY", "são paulo",
    "Sydney, Australia" or "NYC": the first of resolve(text)."""
    return resolve(text).place


def suggest(text: str, *, limit: int = 8) -> list[Place]:
    """Places for autocomplete, in the order the search ranks them: its first suggestion
    is the place the search would choose for the same text."""
    return [candidate.place for candidate in resolve(text).candidates[:limit]]


def resolve(text: str) -> Resolution:
    """Every place the text may mean, ranked (see rank). In order: phrases that name no
    place ("near me"), street addresses (by their ZIP code, postcode or town), then the
    text as a postal code or a place name, with its nicknames, abbreviations and a region
    or country after a comma or at the end ("Portland Maine")."""
    text = " ".join(text.split())
    if not text:
        return Resolution([])
    if message := place_aliases.refusal(text):
        return Resolution([], refusal=message)
    if address := addresses.parse(text):
        return _street_address(address)
    return Resolution(rank(_candidates(text)))


def _street_address(address: addresses.StreetAddress) -> Resolution:
    """An address by its ZIP code, else its UK postcode, else its town and state: the
    first that the gazetteer knows (a mistyped ZIP code still has its town)."""
    ways = [(address.zip_code, ZIP_NOTE), (address.postcode, POSTCODE_NOTE)]
    if address.town and address.state:
        ways.append((f"{address.town}, {address.state}", TOWN_NOTE))
    for text, note in ways:
        if text and (found := rank(_candidates(text))):
            return Resolution(found, note=note)
    return Resolution([], refusal=ADDRESS_REFUSAL)


def _candidates(text: str) -> Iterator[Candidate]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        return
    name, qualifiers = parts[0], parts[1:]
    if any(char.isdigit() for char in name):
        yield from _postal(name, qualifiers)
        return
    meant: list[Candidate] = []
    if meaning := place_aliases.nickname(name):
        parts = [part.strip() for part in meaning.split(",")]
        meant += _named(parts[0], parts[1:] + qualifiers, exact_only=True)
    if not qualifiers:
        for short, qualifier in _trailing_qualifiers(name):
            meant += _named(short, [qualifier], exact_only=True)
    yield from meant
    yield from _named(name, qualifiers, alike_too=not meant)


def _named(
    name: str, qualifiers: list[str], *, exact_only: bool = False, alike_too: bool = True
) -> Iterator[Candidate]:
    cities = _qualified(Place.objects.filter(kind=PlaceKind.CITY), qualifiers)
    spellings = [Normalize(Value(variant)) for variant in spelling_variants(name)]
    exact = cities.filter(search_name__in=spellings).order_by(*BIGGEST_FIRST)[:POOL]
    found = [Candidate(place, EXACT, size(place)) for place in exact]
    yield from found
    if exact_only:
        return
    starts = Q()
    for variant in spelling_variants(name):
        starts |= Q(search_name__startswith=Normalize(Value(variant)))
    prefixed = list(cities.filter(starts).order_by(*BIGGEST_FIRST)[:POOL])
    yield from (Candidate(place, STARTS_WITH, size(place)) for place in prefixed)
    if len(name) < TYPO_MIN_LENGTH:
        return
    slips = list(misspelt(cities, name)[:POOL])
    for place in slips:
        edits: int = place.edits  # type: ignore[attr-defined]  # annotated by misspelt()
        yield Candidate(place, STARTS_WITH + SLIP * edits, size(place))
    if found or prefixed or slips or not alike_too:
        return
    # Only when nothing closer matched: the trigram scan costs 25-40 ms (see README).
    for place in alike(cities, name)[:POOL]:
        similarity: float = place.similarity  # type: ignore[attr-defined]  # by alike()
        yield Candidate(place, ALIKE + 1 - similarity, size(place))


def _postal(code: str, qualifiers: list[str]) -> Iterator[Candidate]:
    """A postal code: a US ZIP (ZIP+4 too), a UK full postcode or outward code, a Canadian
    FSA or full code, an Australian or New Zealand postcode; or the start of one."""
    codes = _qualified(Place.objects.filter(kind=PlaceKind.POSTAL), qualifiers)
    keys = [match[1]] if (match := US_ZIP.match(code)) else postcodes.lookup_keys(code)
    exact = list(codes.filter(postal_code__in=keys).order_by("country", "postal_code")[:POOL])
    yield from (Candidate(place, EXACT, size(place)) for place in exact)
    if point := postcodes.uk_postcode(code):
        district = postcodes.normal(code).split(" ")[0] if " " in code else code[:-3]
        outward = codes.filter(country="GB", postal_code=postcodes.normal(district)).first()
        if outward is not None:
            full = Place(
                kind=PlaceKind.POSTAL, name=postcodes.normal(code), region="",
                region_name="", country="GB", country_name=outward.country_name,
                postal_code=postcodes.normal(code), locality=outward.locality,
                latitude=point[0], longitude=point[1], population=0, zip_codes=1,
            )  # fmt: skip
            yield Candidate(full, EXACT, size(full))
    prefix = postcodes.normal(code).replace(" ", "")
    if exact or not prefix.isalnum():
        return
    preferred = Case(When(country=settings.DIRECTORY_COUNTRY, then=0), default=1)
    started = codes.filter(postal_code__startswith=prefix).order_by(preferred, "postal_code")
    yield from (Candidate(place, STARTS_WITH, size(place)) for place in started[:POOL])


def _trailing_qualifiers(name: str) -> Iterator[tuple[str, str]]:
    """("Portland", "Maine") for "Portland Maine": the last one or two words when they
    name a region or country, and words remain before them."""
    words = name.split()
    for count in (2, 1):
        if len(words) > count and fold(" ".join(words[-count:])) in _known_qualifiers():
            yield " ".join(words[:-count]), " ".join(words[-count:])


@functools.cache
def _known_qualifiers() -> frozenset[str]:
    known = set(COUNTRY_ALIASES)
    for country, regions in jurisdictions.REGIONS.items():
        known.add(fold(country))
        known.update(fold(code) for code in regions)
        known.update(fold(name) for name in regions.values())
    known.update(fold(name) for name in jurisdictions.COUNTRIES.values())
    known.update(("france", "germany", "italy", "spain", "mexico", "japan", "china", "india"))
    return frozenset(known)


def misspelt(cities: QuerySet[Place], name: str) -> QuerySet[Place]:
    """Names one or two slips away from `name` (one for short names), fewest slips first,
    then largest."""
    wanted = Normalize(Value(name))
    # A typo keeps the first letter far more often than not, and a name more letters longer
    # or shorter than the slips allowed cannot match: the spelling index
    # (directory_place_spelling, on first letter and length) reads just that range and holds
    # the name, so the slips are counted without reading the table; the few places found are
    # then fetched whole.
    allowed_edits = 1 if len(name) < 5 else 2
    close = (
        Place.objects.filter(kind=PlaceKind.CITY)
        .annotate(initial=Left("search_name", 1), length=Length("search_name"))
        .filter(
            initial=Left(wanted, 1),
            length__gte=Length(wanted) - allowed_edits,
            length__lte=Length(wanted) + allowed_edits,
        )
        .annotate(edits=Levenshtein("search_name", wanted))
        .filter(edits__lte=allowed_edits)
        .values("pk")
    )
    return (
        cities.filter(pk__in=close)
        .annotate(edits=Levenshtein("search_name", wanted))
        .order_by("edits", *BIGGEST_FIRST)
    )


def alike(cities: QuerySet[Place], name: str) -> QuerySet[Place]:
    """Names that share most of their letters with `name` ("st paul" for "saint paul"),
    most alike first, through the trigram index; a high bar keeps a made-up "Xqzzyville"
    from landing on some real "...ville"."""
    wanted = Normalize(Value(name))
    return (
        cities.filter(search_name__trigram_similar=wanted)
        .annotate(similarity=TrigramSimilarity("search_name", wanted))
        .filter(similarity__gte=0.5)
        .order_by("-similarity", *BIGGEST_FIRST)
    )


def spelling_variants(name: str) -> list[str]:
    """The name as typed plus its usual abbreviated or spelled-out forms: GeoNames writes
    "St. Louis" where ZIP data writes "Saint Louis", and people type either."""
    first, _, rest = name.partition(" ")
    if not rest:
        return [name]
    abbreviations = place_aliases.words()
    word = first.lower().rstrip(".")
    if word in abbreviations:  # GeoNames writes "St. Louis", people "St Louis"
        return [name, f"{abbreviations[word]} {rest}", f"{word}. {rest}", f"{word} {rest}"]
    short = {full.lower(): abbreviation for abbreviation, full in abbreviations.items()}
    if word in short:
        return [name, f"{short[word]}. {rest}", f"{short[word]} {rest}"]
    return [name]


def canonical(name: str) -> str:
    """One key for every spelling of a name: folded, abbreviations spelled out."""
    first, _, rest = name.partition(" ")
    word = first.lower().rstrip(".")
    abbreviations = place_aliases.words()
    if rest and word in abbreviations:
        name = f"{abbreviations[word]} {rest}"
    return fold(name)


def _qualified(places: QuerySet[Place], qualifiers: list[str]) -> QuerySet[Place]:
    """Narrow by each qualifier: a region or country, by code ("NY", "AU") or name."""
    for qualifier in qualifiers:
        code = COUNTRY_ALIASES.get(fold(qualifier), qualifier)
        name = Normalize(Value(qualifier))
        places = places.filter(
            Q(region__iexact=code)
            | Q(country__iexact=code)
            | Q(region_name__unaccent__istartswith=name)
            | Q(country_name__unaccent__istartswith=name)
        )
    return places
