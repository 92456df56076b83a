"""A synthetic NPPES file in the real format for the import benchmark: all 329 columns,
every value quoted, about 1.2 KB a row as in the real file, about 0.5 % acupuncturists
(one row in 200), a fifth organisations, the rest other individual providers."""

from __future__ import annotations

import random
from pathlib import Path

from credentialing.npi import with_check_digit
from public_record.nppes import REQUIRED

COLUMNS_FILE = Path(__file__).resolve().parents[1] / "tests/public_record/data/nppes-columns.txt"
ACUPUNCTURE_EVERY = 200
PLACES = [
    ("SAN FRANCISCO", "CA", "941101234"),
    ("LOS ANGELES", "CA", "900121502"),
    ("NEW YORK", "NY", "10001"),
    ("PORTLAND", "OR", "97204"),
    ("AUSTIN", "TX", "787012345"),
    ("SEATTLE", "WA", "98101"),
    ("DENVER", "CO", "80202"),
    ("BOSTON", "MA", "02108"),
]
LAST = ["CHEN", "GARCIA", "SMITH", "NGUYEN", "PATEL", "O'BRIEN", "KIM", "MILLER", "LOPEZ"]
FIRST = ["MEI", "JOSE", "ANNA", "THANH", "RAVI", "JOHN", "SARA", "LEE", "MARIA"]
OTHER_TAXONOMIES = ["207Q00000X", "225100000X", "363L00000X", "122300000X", "225700000X"]

# Filled on most real rows besides the ones that vary (what makes a row about 1.2 KB).
FIXED = {
    "Provider Name Prefix Text": "DR.",
    "Provider First Line Business Mailing Address": "PO BOX 12345, DEPT 100",
    "Provider Second Line Business Mailing Address": "ATTN: CREDENTIALING OFFICE",
    "Provider Business Mailing Address Country Code (If outside U.S.)": "US",
    "Provider Business Mailing Address Telephone Number": "4155550100",
    "Provider Business Mailing Address Fax Number": "4155550199",
    "Provider Second Line Business Practice Location Address": "SUITE 200, BUILDING B",
    "Provider Business Practice Location Address Country Code (If outside U.S.)": "US",
    "Provider Business Practice Location Address Fax Number": "4155550198",
    "Provider Enumeration Date": "05/23/2008",
    "Last Update Date": "07/08/2026",
    "Healthcare Provider Primary Taxonomy Switch_1": "Y",
    "Healthcare Provider Taxonomy Code_2": "390200000X",
    "Healthcare Provider Primary Taxonomy Switch_2": "N",
    "Is Sole Proprietor": "N",
    "Certification Date": "07/08/2026",
    "Other Provider Identifier_1": "A1234567",
    "Other Provider Identifier Type Code_1": "05",
    "Other Provider Identifier State_1": "CA",
    "Other Provider Identifier Issuer_1": "MEDICAID PROGRAM OF THE STATE",
}
VARYING = [
    "NPI",
    "Entity Type Code",
    "Provider Organization Name (Legal Business Name)",
    "Provider Last Name (Legal Name)",
    "Provider First Name",
    "Provider Credential Text",
    "Provider Business Mailing Address City Name",
    "Provider Business Mailing Address State Name",
    "Provider Business Mailing Address Postal Code",
    "Provider First Line Business Practice Location Address",
    "Provider Business Practice Location Address City Name",
    "Provider Business Practice Location Address State Name",
    "Provider Business Practice Location Address Postal Code",
    "Provider Business Practice Location Address Telephone Number",
    "Healthcare Provider Taxonomy Code_1",
    "Provider License Number_1",
    "Provider License Number State Code_1",
    "Provider Gender Code",
]


def columns() -> list[str]:
    names = COLUMNS_FILE.read_text().splitlines()
    assert all(name in names for name in REQUIRED)
    return names


def write(path: Path, *, rows: int, seed: int = 11) -> int:
    """Write `rows` rows to `path`; returns how many are acupuncturists."""
    names = columns()
    template_cells = []
    for name in names:
        if name in VARYING:
            template_cells.append("{" + str(VARYING.index(name)) + "}")
        else:
            template_cells.append(FIXED.get(name, "").replace("{", "{{").replace("}", "}}"))
    template = ",".join(f'"{cell}"' for cell in template_cells) + "\n"
    rng = random.Random(seed)
    acupuncturists = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(",".join(f'"{name}"' for name in names) + "\n")
        buffer = []
        for index in range(rows):
            city, state, postal = PLACES[index % len(PLACES)]
            npi = with_check_digit(f"{100_000_000 + index:09d}")
            acupuncture = index % ACUPUNCTURE_EVERY == 0
            organisation = not acupuncture and rng.random() < 0.2
            acupuncturists += acupuncture
            values = [
                npi,
                "2" if organisation else "1",
                f"{rng.choice(LAST)} FAMILY HEALTH, INC." if organisation else "",
                "" if organisation else rng.choice(LAST) + str(index % 97),
                "" if organisation else rng.choice(FIRST),
                "L.AC." if acupuncture else ("" if organisation else "M.D."),
                city,
                state,
                postal,
                f"{100 + index % 9000} MAIN STREET",
                city,
                state,
                postal,
                f"{4155550000 + index % 10000}",
                "171100000X" if acupuncture else rng.choice(OTHER_TAXONOMIES),
                f"AC{index:07d}",
                state,
                "" if organisation else rng.choice("FM"),
            ]
            buffer.append(template.format(*values))
            if len(buffer) == 10_000:
                file.writelines(buffer)
                buffer.clear()
        file.writelines(buffer)
    return acupuncturists
