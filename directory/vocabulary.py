"""The translatable text of the seeded payer vocabulary, for the message catalogues.

Payer names and coverage notes live in database rows (seeded by migration
0019_payer_vocabulary), and makemessages cannot read database rows: it only finds strings
marked in source files. So each seeded name that is an ordinary phrase ("Workers'
compensation") and every coverage note is repeated here in gettext_noop, which puts it in the
catalogue without translating it at import time; Payer.shown_name and
Payer.shown_coverage_note translate the row's text at render time. Brand names (Aetna,
Medicare, Blue Cross...) are listed apart, in AS_WRITTEN: they are never translated.

tests/directory/test_vocabulary_translations.py fails when a seeded payer's name is in
neither list, or its coverage note is missing here, so a new seeded payer cannot ship
untranslatable. Text staff add later in the admin is shown as typed."""

from __future__ import annotations

from django.utils.translation import gettext_noop

# Seeded payer names that are ordinary words, translated on pages.
NAMES: frozenset[str] = frozenset(
    {
        gettext_noop("Medicaid (varies by state)"),
        gettext_noop("Workers' compensation"),
        gettext_noop("Auto insurance / personal injury protection (PIP)"),
        gettext_noop("BC MSP supplementary benefits"),
        gettext_noop("Workers' compensation board (WCB, WSIB, CNESST)"),
        gettext_noop("Auto insurance accident benefits"),
        gettext_noop("Health spending account"),
        gettext_noop("Simplyhealth (cash plan)"),
        gettext_noop("Compulsory third party (CTP) insurance"),
    }
)

# Seeded payer names that are brands or abbreviations: shown as written in every language.
AS_WRITTEN: frozenset[str] = frozenset(
    {
        "Aetna",
        "American Specialty Health (ASH)",
        "Anthem Blue Cross",
        "Blue Cross Blue Shield",
        "Cigna",
        "Humana",
        "Kaiser Permanente",
        "Optum",
        "UnitedHealthcare",
        "Medicare",
        "VA Community Care",
        "HSA / FSA",
        "Canada Life",
        "Canadian Blue Cross",
        "Desjardins Insurance",
        "Green Shield Canada",
        "Manulife",
        "Sun Life",
        "Aviva",
        "AXA Health",
        "Bupa",
        "Vitality",
        "WPA",
        "Australian Unity",
        "HBF",
        "HCF",
        "Medibank",
        "nib",
        "ACC (Accident Compensation Corporation)",
        "Southern Cross Health Insurance",
        "Irish Life Health",
        "Laya Healthcare",
        "Vhi Healthcare",
    }
)

# Every seeded coverage note, word for word as the migration stores it.
COVERAGE_NOTES: frozenset[str] = frozenset(
    {
        gettext_noop(
            "Medicare Part B covers acupuncture only for chronic low back pain (lasting 12 "
            "weeks or more, with no other known cause): up to 12 visits in 90 days, 8 more if "
            "you are improving, and no more than 20 a year. It must be given by a physician, "
            "or by a practitioner who meets Medicare's requirements (a master's or doctoral "
            "degree from an accredited acupuncture school and a current state license) under "
            "the supervision of a physician or other eligible provider. Licensed "
            "acupuncturists cannot bill Medicare directly."
        ),
        gettext_noop(
            "Acupuncture is a medical expense you can pay for from a health savings account "
            "(HSA) or a flexible spending account (FSA)."
        ),
        gettext_noop(
            "VA pays for care from a community provider only when VA has approved it before "
            "your visit: ask your VA care team for a referral first."
        ),
        gettext_noop(
            "For people with MSP supplementary benefits (a low income): a partial payment per "
            "visit, for up to 10 visits a year shared with chiropractic, massage therapy, "
            "naturopathy, physiotherapy and non-surgical podiatry."
        ),
    }
)

# The human messages of directory/data/place_aliases.csv (the `means` of "refuse" rows: what
# the search says to text that names no place). place_aliases.refusal translates them when
# shown; tests/directory/test_directory_languages.py fails when a row's message is not here.
PLACE_MESSAGES: frozenset[str] = frozenset(
    {
        gettext_noop("Type a town, a ZIP or postcode, or use “Use my location”."),
        gettext_noop("Type a town, a ZIP or postcode: we search near a place."),
    }
)
