"""Realistic, deterministic demo data: about 500 practitioners with clinics at real US ZIP
centroids (from the offline `zipcodes` package) and in Canada, the UK and Australia, with a
spread of credential statuses so the listing rule is visible.

`build_specs()` is pure (same seed, same output); `load()` writes only what is missing, so a
second run changes nothing.
"""

from __future__ import annotations

import datetime
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import zipcodes
from django.db import transaction
from django.utils.text import slugify

from credentialing.models import CREDENTIAL_KINDS, CredentialStatus
from credentialing.rules import Actor, credential_transition
from directory import demo_photos, hours, phones, services
from directory.models import ACCESS_FIELDS, GeocodePrecision, Location, Payer, Practitioner
from evidence.models import Condition, Intervention

SEED = 1729
DEMO_ACTOR = "demo data"  # how the verification log names the demo's decisions

# Metro areas in states that license acupuncturists: (city, state, weight).
US_CITIES = [
    ("New York", "NY", 8), ("Brooklyn", "NY", 5), ("Flushing", "NY", 2), ("Buffalo", "NY", 1),
    ("Los Angeles", "CA", 8), ("San Francisco", "CA", 6), ("Oakland", "CA", 3),
    ("San Diego", "CA", 4), ("San Jose", "CA", 3), ("Sacramento", "CA", 2), ("Irvine", "CA", 2),
    ("Seattle", "WA", 4), ("Spokane", "WA", 1), ("Portland", "OR", 4), ("Eugene", "OR", 1),
    ("Denver", "CO", 3), ("Boulder", "CO", 2), ("Austin", "TX", 3), ("Houston", "TX", 3),
    ("Dallas", "TX", 2), ("Miami", "FL", 3), ("Orlando", "FL", 2), ("Tampa", "FL", 2),
    ("Chicago", "IL", 4), ("Boston", "MA", 4), ("Cambridge", "MA", 2),
    ("Philadelphia", "PA", 3), ("Pittsburgh", "PA", 1), ("Baltimore", "MD", 2),
    ("Washington", "DC", 2), ("Arlington", "VA", 1), ("Richmond", "VA", 1),
    ("Asheville", "NC", 2), ("Raleigh", "NC", 1), ("Atlanta", "GA", 2), ("Phoenix", "AZ", 2),
    ("Tucson", "AZ", 1), ("Las Vegas", "NV", 2), ("Santa Fe", "NM", 2), ("Albuquerque", "NM", 1),
    ("Minneapolis", "MN", 2), ("Madison", "WI", 1), ("Ann Arbor", "MI", 1), ("Columbus", "OH", 1),
    ("Saint Louis", "MO", 1), ("Nashville", "TN", 1), ("Salt Lake City", "UT", 1),
    ("Honolulu", "HI", 2), ("Hartford", "CT", 1), ("Burlington", "VT", 1), ("Portland", "ME", 1),
    ("Providence", "RI", 1), ("Newark", "NJ", 1), ("Princeton", "NJ", 1),
]  # fmt: skip

# (license type, number prefix, digits) where a state's numbers have a known shape.
US_LICENSE_FORMATS = {
    "CA": ("L.Ac.", "AC", 5),
    "FL": ("AP", "AP", 4),
    "NM": ("DOM", "DOM", 4),
    "TX": ("L.Ac.", "AC", 5),
    "WA": ("L.Ac.", "AC.", 8),
    "NY": ("L.Ac.", "", 6),
}
US_DEFAULT_FORMAT = ("L.Ac.", "", 6)
US_BOARDS = {
    "CA": "California Acupuncture Board",
    "NY": "New York State Office of the Professions",
    "TX": "Texas Medical Board (Acupuncture)",
    "FL": "Florida Board of Acupuncture",
}

# (city, region, country, postal code, latitude, longitude, license type, prefix, digits,
#  board, national register?)
# Taken in turn, so even a small demo has a clinic in each country.
ABROAD = [
    ("Toronto", "ON", "CA", "M5V 2T6", 43.6532, -79.3832, "R.Ac.", "", 4, "CTCMPAO", False),
    ("London", "ENG", "GB", "W1G 9QD", 51.5072, -0.1276, "BAcC registered acupuncturist",
     "", 5, "British Acupuncture Council register", True),
    ("Sydney", "NSW", "AU", "2000", -33.8688, 151.2093, "Chinese medicine practitioner",
     "CMR000", 7, "Ahpra register of practitioners", True),
    ("Vancouver", "BC", "CA", "V6B 1A1", 49.2827, -123.1207, "R.Ac.", "", 5, "CTCMA", False),
    ("Manchester", "ENG", "GB", "M1 1AE", 53.4808, -2.2426, "BAcC registered acupuncturist",
     "", 5, "British Acupuncture Council register", True),
    ("Melbourne", "VIC", "AU", "3000", -37.8136, 144.9631, "Chinese medicine practitioner",
     "CMR000", 7, "Ahpra register of practitioners", True),
    ("Edinburgh", "SCT", "GB", "EH1 1YZ", 55.9533, -3.1883, "CNHC registrant", "", 6,
     "Complementary & Natural Healthcare Council register", True),
]  # fmt: skip
# Clinic numbers abroad from the ranges each regulator keeps for fiction (Ofcom's drama
# numbers, ACMA's 5550, NANP's 555-01xx), so no demo number rings a real clinic.
PHONES_ABROAD = {
    "Toronto": "(416) 555-01{:02d}",
    "Vancouver": "(604) 555-01{:02d}",
    "London": "020 7946 0{:03d}",
    "Manchester": "0161 496 0{:03d}",
    "Edinburgh": "0131 496 0{:03d}",
    "Sydney": "(02) 5550 {:04d}",
    "Melbourne": "(03) 5550 {:04d}",
}

FIRST_NAMES = [
    "Wei", "Mei", "Jun", "Li", "Xiu", "Hao", "Lan", "Min-jun", "Ji-woo", "Seo-yeon", "Hyun",
    "Linh", "Thanh", "Minh", "Hiro", "Yuki", "Aiko", "Kenji", "Sarah", "Emily", "Jessica",
    "Rachel", "Laura", "Anna", "Claire", "Hannah", "Megan", "Olivia", "Rebecca", "Naomi",
    "Michael", "David", "Daniel", "James", "Benjamin", "Jonathan", "Matthew", "Nathan", "Adam",
    "Thomas", "Maria", "Sofia", "Lucia", "Carmen", "Gabriela", "Diego", "Carlos", "Mateo",
    "Priya", "Anjali", "Ravi", "Arjun", "Amara", "Zainab", "Omar", "Leila", "Noor", "Ingrid",
    "Astrid", "Siobhan", "Aoife", "Fiona", "Grace", "Chloe", "Isla", "Eleanor", "Ruth",
]  # fmt: skip
# The demo's own fiction: which of its first names are its women's and men's. A profile's
# gender is the practitioner's to state (or not): a few in ten of the rest, and about one in
# eight of everyone, leave it empty, and a few are non-binary.
DEMO_WOMEN = {
    "Mei", "Xiu", "Lan", "Seo-yeon", "Yuki", "Aiko", "Sarah", "Emily", "Jessica", "Rachel",
    "Laura", "Anna", "Claire", "Hannah", "Megan", "Olivia", "Rebecca", "Naomi", "Maria",
    "Sofia", "Lucia", "Carmen", "Gabriela", "Priya", "Anjali", "Amara", "Zainab", "Leila",
    "Noor", "Ingrid", "Astrid", "Siobhan", "Aoife", "Fiona", "Grace", "Chloe", "Isla",
    "Eleanor", "Ruth",
}  # fmt: skip
DEMO_MEN = {
    "Wei", "Hao", "Min-jun", "Kenji", "Michael", "David", "Daniel", "James", "Benjamin",
    "Jonathan", "Matthew", "Nathan", "Adam", "Thomas", "Diego", "Carlos", "Mateo", "Ravi",
    "Arjun", "Omar",
}  # fmt: skip
LAST_NAMES = [
    ("Chen", "zh"), ("Wang", "zh"), ("Li", "zh"), ("Zhang", "zh"), ("Liu", "zh"),
    ("Huang", "zh"), ("Wong", "yue"), ("Chan", "yue"), ("Leung", "yue"), ("Kim", "ko"),
    ("Park", "ko"), ("Lee", "ko"), ("Choi", "ko"), ("Nguyen", "vi"), ("Tran", "vi"),
    ("Pham", "vi"), ("Tanaka", "ja"), ("Sato", "ja"), ("Yamamoto", "ja"), ("Garcia", "es"),
    ("Rodriguez", "es"), ("Martinez", "es"), ("Lopez", "es"), ("Hernandez", "es"),
    ("Smith", ""), ("Johnson", ""), ("Williams", ""), ("Brown", ""), ("Miller", ""),
    ("Davis", ""), ("Wilson", ""), ("Anderson", ""), ("Taylor", ""), ("Moore", ""),
    ("Clark", ""), ("Lewis", ""), ("Walker", ""), ("Hall", ""), ("Young", ""), ("King", ""),
    ("Wright", ""), ("Green", ""), ("Baker", ""), ("Adams", ""), ("Nelson", ""),
    ("Mitchell", ""), ("Roberts", ""), ("Campbell", ""), ("O'Brien", ""), ("Murphy", ""),
    ("Cohen", "he"), ("Levy", "he"), ("Patel", "hi"), ("Shah", "hi"), ("Singh", "hi"),
    ("Rossi", "it"), ("Dubois", "fr"), ("Novak", "pl"), ("Ivanova", "ru"), ("Haddad", "ar"),
    ("Santos", "pt"), ("Reyes", "tl"),
]  # fmt: skip
CLINIC_WORDS = [
    "Acupuncture", "Wellness", "Healing Arts", "Integrative Health", "Chinese Medicine",
    "Community Acupuncture", "Pain Relief", "Natural Health", "Holistic Care",
]  # fmt: skip
CLINIC_PREFIXES = [
    "Golden Needle", "Lotus", "Harmony", "Bamboo", "Riverbend", "Meridian Point", "Jade",
    "Five Elements", "Willow", "Still Water", "Cedar", "Blue Heron", "Qi", "Balance",
]  # fmt: skip
STREETS = [
    "Main St", "Oak Ave", "Maple St", "Broadway", "Market St", "Elm St", "Park Ave",
    "Washington Blvd", "Lincoln Ave", "Cedar Rd", "2nd Ave", "Pine St", "Mission St",
]  # fmt: skip
STREETS_ABROAD = ["High Street", "King Street", "Queen Street", "Church Road"]
CONDITION_SLUGS = [
    "migraine", "episodic-migraine", "chronic-migraine", "tension-type-headache",
    "cluster-headache", "medication-overuse-headache", "chronic-low-back-pain", "neck-pain",
    "knee-osteoarthritis", "chemotherapy-nausea", "insomnia", "anxiety", "fibromyalgia",
    "infertility-support",
]  # fmt: skip
TECHNIQUE_SLUGS = [
    "electroacupuncture", "scalp-acupuncture", "auricular-acupuncture", "cupping", "moxibustion",
    "chinese-herbal-medicine",
]  # fmt: skip
BIO_OPENINGS = [
    "I trained in Chinese medicine after acupuncture helped my own recovery from a sports injury.",
    "My practice focuses on headache and migraine, working alongside neurologists and GPs.",
    "I have treated chronic pain for most of my career, often together with physiotherapists.",
    "Patients come to me for help with stress, sleep and long-standing pain.",
    "I practise a gentle, Japanese-style approach with fine needles and little discomfort.",
    "I combine acupuncture with practical advice on sleep, movement and daily routine.",
]
BIO_CLOSINGS = [
    "First visits take about an hour and begin with a full health history.",
    "I coordinate with your physician and never ask you to stop prescribed treatment.",
    "Sliding-scale fees are available; ask at the front desk.",
    "Treatment plans are reviewed every few sessions so we can tell whether it is helping.",
]

# Share of practitioners whose main license ends in each state.
LICENSE_OUTCOMES = [
    ("verified", 70),
    ("expiring", 7),
    ("expired", 6),
    ("pending", 8),
    ("rejected", 5),
    ("revoked", 4),
]


@dataclass
class LocationSpec:
    clinic_name: str
    address: str
    city: str
    region: str
    country: str
    postal_code: str
    latitude: float
    longitude: float
    precision: str
    phone: str


@dataclass
class CredentialSpec:
    kind: str  # "licenses" or "certifications", as credentialing.models.CREDENTIAL_KINDS
    fields: dict
    outcome: str
    source: str
    checked_on: datetime.date


@dataclass
class PractitionerSpec:
    slug: str
    fields: dict
    languages: list[str]
    conditions: list[str]
    techniques: list[str]
    locations: list[LocationSpec] = field(default_factory=list)
    credentials: list[CredentialSpec] = field(default_factory=list)


@dataclass
class LoadReport:
    created: int = 0
    unchanged: int = 0
    by_outcome: dict[str, int] = field(default_factory=dict)


def build_specs(*, count: int, today: datetime.date, seed: int = SEED) -> list[PractitionerSpec]:
    rng = random.Random(seed)
    us_zips = _us_zip_pool()
    cities = [city for city in US_CITIES for _ in range(city[2])]
    used_slugs: set[str] = set()
    used_numbers: set[tuple[str, str, str]] = set()
    specs = []
    for index in range(count):
        first = rng.choice(FIRST_NAMES)
        last, heritage_language = rng.choice(LAST_NAMES)
        slug = _unique_slug(f"{first} {last}", used_slugs)
        languages = ["en"]
        if heritage_language and rng.random() < 0.55:
            languages.append(heritage_language)
        if rng.random() < 0.12:
            languages.append("es")
        spec = PractitionerSpec(
            slug=slug,
            fields={
                "first_name": first,
                "last_name": last,
                "bio": f"{rng.choice(BIO_OPENINGS)} {rng.choice(BIO_CLOSINGS)}",
                "practice_started": rng.randint(1988, today.year - 1),
                "accepting_new_patients": rng.random() < 0.7,
                # About a quarter last confirmed their new-patient status or their profile
                # too long ago, so the freshness rules show in the demo.
                "accepting_new_patients_on": today - datetime.timedelta(days=rng.randint(0, 120)),
                "details_confirmed_on": today - datetime.timedelta(days=rng.randint(0, 240)),
                "telehealth": rng.random() < 0.25,
                "published": rng.random() < 0.95,
            },
            languages=sorted(set(languages)),
            conditions=rng.sample(CONDITION_SLUGS, rng.randint(2, 6)),
            techniques=["acupuncture", *rng.sample(TECHNIQUE_SLUGS, rng.randint(0, 3))],
        )
        if rng.random() < 0.6:  # headaches are what most patients come for
            spec.conditions = sorted({*spec.conditions, "migraine"})
        outcome = _weighted(rng, LICENSE_OUTCOMES)
        if index % 25 == 0:
            _add_abroad(spec, rng, today, outcome, ABROAD[index // 25 % len(ABROAD)], used_numbers)
        else:
            _add_us(spec, rng, today, outcome, rng.choice(cities), us_zips, used_numbers)
        specs.append(spec)
    return specs


def load(*, count: int = 500, today: datetime.date, progress: Callable[[], None]) -> LoadReport:
    """Create every demo practitioner that does not exist yet; leave existing ones alone."""
    report = LoadReport()
    conditions = {condition.slug: condition for condition in Condition.objects.all()}
    interventions = {item.slug: item for item in Intervention.objects.all()}
    existing = set(Practitioner.objects.values_list("slug", flat=True))
    for spec in build_specs(count=count, today=today):
        progress()
        if spec.slug in existing:
            report.unchanged += 1
            continue
        _create(spec, conditions, interventions)
        report.created += 1
        outcome = spec.credentials[0].outcome
        report.by_outcome[outcome] = report.by_outcome.get(outcome, 0) + 1
    return report


@transaction.atomic
def _create(spec: PractitionerSpec, conditions: dict, interventions: dict) -> None:
    practitioner = Practitioner.objects.create(
        slug=spec.slug,
        languages=spec.languages,
        gender=_gender(spec.slug, spec.fields["first_name"]),
        **spec.fields,
    )
    practitioner.conditions.set([conditions[slug] for slug in spec.conditions])
    practitioner.techniques.set([interventions[slug] for slug in spec.techniques])
    for location in spec.locations:
        clinic_hours, hours_note = _clinic_hours(f"{spec.slug}/{location.postal_code}")
        clinic = Location.objects.create(
            practitioner=practitioner,
            clinic_name=location.clinic_name,
            address=location.address,
            city=location.city,
            region=location.region,
            country=location.country,
            postal_code=location.postal_code,
            latitude=location.latitude,
            longitude=location.longitude,
            geocode_precision=location.precision,
            phone=phones.normalise(location.phone, location.country) if location.phone else "",
            **_clinic_facts(f"{spec.slug}/{location.postal_code}"),
            booking_url=_booking_url(spec.slug, location.postal_code),
            hours_note=hours_note,
            time_zone=hours.time_zone_at(location.latitude, location.longitude),
        )
        services.opening_hours_replace(location=clinic, intervals=clinic_hours)
        clinic.payers.set(_clinic_payers(f"{spec.slug}/{location.postal_code}", clinic.country))
    for credential_spec in spec.credentials:
        model = CREDENTIAL_KINDS[credential_spec.kind]
        credential = model(practitioner=practitioner, **credential_spec.fields)
        _decide(credential, credential_spec)
    labels = [c.fields.get("license_type") or c.fields["credential"] for c in spec.credentials]
    practitioner.credentials = ", ".join(dict.fromkeys(labels))
    practitioner.save(update_fields=["credentials"])
    if demo_photos.has_photo(spec.slug):
        demo_photos.practitioner_portrait_add(practitioner=practitioner)


def _gender(slug: str, first_name: str) -> str:
    """The category the demo practitioner states, from a generator of its own (the specs'
    generator, and so every demo practitioner, stays as it was)."""
    rng = random.Random(f"{SEED}:gender:{slug}")
    roll = rng.random()
    if roll < 0.12:
        return ""
    if roll < 0.15:
        return "nonbinary"
    if first_name in DEMO_WOMEN:
        return "woman"
    if first_name in DEMO_MEN:
        return "man"
    return "" if rng.random() < 0.3 else rng.choice(["woman", "man"])


def _clinic_facts(key: str) -> dict:
    """Prices and access for a demo clinic, from their own generator (seeded by the clinic)
    so that adding them left every other demo value as it was."""
    rng = random.Random(f"{SEED}:{key}")
    first = rng.choice([75, 90, 110, 120, 140, 160])
    facts = {
        "first_visit_fee": first,
        "first_visit_fee_max": first + 30 if rng.random() < 0.3 else None,
        "follow_up_fee": first - rng.choice([10, 20, 30]),
        "sliding_scale": rng.random() < 0.25,
        "free_first_consultation": rng.random() < 0.15,
    }
    if rng.random() < 0.2:  # some clinics say nothing about cost
        facts = {}
    facts.update({name: rng.random() < 0.5 for name in ACCESS_FIELDS})
    return facts


def _booking_url(slug: str, postal_code: str) -> str:
    """An online booking page for about one demo clinic in three, on example.org (a domain
    reserved for examples: nothing real is named), from its own generator like the facts."""
    rng = random.Random(f"{SEED}:booking:{slug}/{postal_code}")
    if rng.random() >= 0.35:
        return ""
    return f"https://booking.example.org/{slug}/{slugify(postal_code)}"


def _clinic_hours(key: str) -> tuple[list[hours.Interval], str]:
    """A demo clinic's week and note, from their own generator (as _clinic_facts): most
    open weekdays, some late on a day or two, some on Saturday, a few on Sunday; about one
    in five gives no hours (half of those say "By appointment only")."""
    rng = random.Random(f"{SEED}:hours:{key}")
    if rng.random() < 0.2:
        return [], "By appointment only" if rng.random() < 0.5 else ""
    at = datetime.time
    opens = at(rng.choice([8, 9, 10]))
    split = rng.random() < 0.4  # closed for lunch
    late_days = set(rng.sample(range(5), rng.choice([0, 0, 1, 2])))
    week = []
    for weekday in rng.sample(range(5), rng.choice([3, 4, 5, 5])):
        closes = at(rng.choice([19, 20])) if weekday in late_days else at(rng.choice([17, 18]))
        if split:
            week.append(hours.Interval(weekday, opens, at(13)))
            week.append(hours.Interval(weekday, at(14), closes))
        else:
            week.append(hours.Interval(weekday, opens, closes))
    if rng.random() < 0.35:
        week.append(hours.Interval(hours.Weekday.SATURDAY, at(9), at(rng.choice([13, 14]))))
    if rng.random() < 0.1:
        week.append(hours.Interval(hours.Weekday.SUNDAY, at(10), at(14)))
    note = rng.choice(["", "", "", "Closed on public holidays", "Evening hours by appointment"])
    return sorted(week), note


# How likely a demo clinic is to accept a payer of each kind (when it takes any).
PAYER_ODDS = {"insurer": 0.3, "government": 0.1, "workers_comp": 0.2, "auto": 0.25, "account": 0.6}


def _clinic_payers(key: str, country: str) -> list[Payer]:
    """Insurance and payment for a demo clinic, seeded by the clinic like its prices: a
    quarter take none (they are paid by the patient), the rest a few of their country's."""
    rng = random.Random(f"{SEED}:payers:{key}")
    if rng.random() < 0.25:
        return []
    offered = Payer.objects.active().filter(country__in=["", country]).order_by("slug")
    return [payer for payer in offered if rng.random() < PAYER_ODDS[payer.kind]]


def _decide(credential, spec: CredentialSpec) -> None:
    """Submit the demo credential and decide on it as its spec says, through the rulebook
    like every other status change, as the system process "demo data"."""
    demo = Actor.process(DEMO_ACTOR)
    move = partial(credential_transition, credential=credential, by=demo)
    move(to_status=CredentialStatus.PENDING, reason="Submitted for verification.")
    if spec.outcome == "pending":
        return
    if spec.outcome == "rejected":
        reason = "The number does not match the board's record for this name."
        move(to_status=CredentialStatus.REJECTED, reason=reason)
        return
    move(to_status=CredentialStatus.VERIFIED, source=spec.source, checked_on=spec.checked_on)
    if spec.outcome == "revoked":
        reason = "The board reports this license as surrendered."
        move(to_status=CredentialStatus.REVOKED, reason=reason, source=spec.source)


def _add_us(spec, rng, today, outcome, city, us_zips, used_numbers) -> None:
    name, state, _ = city
    home = rng.choice(us_zips[(name, state)])
    spec.locations.append(_us_location(rng, home, spec))
    license_type, prefix, digits = US_LICENSE_FORMATS.get(state, US_DEFAULT_FORMAT)
    board = US_BOARDS.get(state, f"{state} acupuncture licensing board")
    license = _license(
        rng, today, outcome, "US", state, license_type, prefix, digits, board, used_numbers
    )
    spec.credentials.append(license)
    roll = rng.random()
    if roll < 0.15:  # a second clinic nearby, same state
        spec.locations.append(_us_location(rng, rng.choice(us_zips[(name, state)]), spec))
    elif roll < 0.2:
        # A clinic in another state without a license there: never listed.
        other_name, other_state, _ = rng.choice([c for c in US_CITIES if c[1] != state])
        spec.locations.append(
            _us_location(rng, rng.choice(us_zips[(other_name, other_state)]), spec)
        )
    if rng.random() < 0.6:
        credential = rng.choice(["Dipl. Ac.", "Dipl. O.M."])
        number = _unique_number(rng, ("NCCAOM", credential, ""), "", 6, used_numbers)
        issued = today - datetime.timedelta(days=rng.randint(200, 1400))
        spec.credentials.append(
            CredentialSpec(
                kind="certifications",
                fields={
                    "body": "NCCAOM",
                    "credential": credential,
                    "number": number,
                    "issued_on": issued,
                    "expires_on": issued + datetime.timedelta(days=4 * 365),
                },
                outcome="verified" if rng.random() < 0.85 else "pending",
                source="NCCAOM certification verification",
                checked_on=min(issued + datetime.timedelta(days=21), today),
            )
        )


def _add_abroad(spec, rng, today, outcome, place, used_numbers) -> None:
    (city, region, country, postal, lat, lng, license_type, prefix, digits, board, national) = place
    spec.locations.append(
        LocationSpec(
            clinic_name=_clinic_name(rng, spec),
            address=f"{rng.randint(1, 250)} {rng.choice(STREETS_ABROAD)}",
            city=city,
            region=region,
            country=country,
            postal_code=postal,
            latitude=round(lat + rng.uniform(-0.03, 0.03), 5),
            longitude=round(lng + rng.uniform(-0.03, 0.03), 5),
            precision=GeocodePrecision.CITY,
            # From the slug, not from rng: the numbers drawn after this one stay the same.
            phone=PHONES_ABROAD[city].format(zlib.crc32(spec.slug.encode()) % 100),
        )
    )
    spec.credentials.append(
        _license(
            rng,
            today,
            outcome,
            country,
            "" if national else region,
            license_type,
            prefix,
            digits,
            board,
            used_numbers,
        )
    )


def _license(rng, today, outcome, country, region, license_type, prefix, digits, board, used):
    number = _unique_number(rng, (country, region, license_type), prefix, digits, used)
    if outcome == "expired":
        expires = today - datetime.timedelta(days=rng.randint(1, 400))
    elif outcome == "expiring":
        expires = today + datetime.timedelta(days=rng.randint(0, 30))
    else:
        expires = today + datetime.timedelta(days=rng.randint(45, 730))
    issued = expires - datetime.timedelta(days=2 * 365)
    return CredentialSpec(
        kind="licenses",
        fields={
            "country": country,
            "region": region,
            "license_type": license_type,
            "number": number,
            "issued_on": issued,
            "expires_on": expires,
        },
        outcome=outcome,
        source=f"{board} online license look-up",
        checked_on=min(issued + datetime.timedelta(days=21), today),
    )


def _us_location(rng, zip_row: dict, spec: PractitionerSpec) -> LocationSpec:
    area_code = (zip_row["area_codes"] or ["555"])[0]
    return LocationSpec(
        clinic_name=_clinic_name(rng, spec),
        address=f"{rng.randint(10, 4999)} {rng.choice(STREETS)}",
        city=zip_row["city"],
        region=zip_row["state"],
        country="US",
        postal_code=zip_row["zip_code"],
        latitude=float(zip_row["lat"]),
        longitude=float(zip_row["long"]),
        precision=GeocodePrecision.POSTAL,
        # 555-0100 to 555-0199 are reserved for fiction in the North American plan.
        phone=f"({area_code}) 555-01{rng.randint(0, 99):02d}",
    )


def _clinic_name(rng, spec: PractitionerSpec) -> str:
    if rng.random() < 0.3:
        return f"{spec.fields['last_name']} {rng.choice(CLINIC_WORDS)}"
    return f"{rng.choice(CLINIC_PREFIXES)} {rng.choice(CLINIC_WORDS)}"


def _us_zip_pool() -> dict[tuple[str, str], list[dict]]:
    pool = {}
    for city, state, _ in US_CITIES:
        rows = zipcodes.filter_by(city=city, state=state, zip_code_type="STANDARD")
        if not rows:
            raise LookupError(f"No ZIP codes for {city}, {state} in the zipcodes package")
        pool[(city, state)] = sorted(rows, key=lambda row: row["zip_code"])
    return pool


def _unique_slug(name: str, used: set[str]) -> str:
    base = slugify(name)
    slug, suffix = base, 2
    while slug in used:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    used.add(slug)
    return slug


def _unique_number(rng, scope: tuple[str, str, str], prefix: str, digits: int, used) -> str:
    while True:
        number = f"{prefix}{rng.randint(1, 10**digits - 1):0{digits}d}"
        if (*scope, number) not in used:
            used.add((*scope, number))
            return number


def _weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    names, weights = zip(*options, strict=True)
    return rng.choices(names, weights=weights)[0]
