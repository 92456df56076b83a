"""A synthetic LEIE in the real format for the screening benchmark: the 18 columns, the
header line unquoted, every value double-quoted, dates YYYYMMDD with 00000000 for none, NPI
0000000000 for most (older) entries, a tenth businesses; and the practitioner the benchmark
screens, written into it once so that the screening finds one possible match."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from credentialing.npi import with_check_digit
from public_record.exclusions import COLUMNS, NO_DATE, NO_NPI

STATES = ["CA", "NY", "TX", "FL", "WA", "OR", "MA", "IL", "PA", "OH", "GA", "NC", "MI", "AZ"]
SYLLABLES = ["BA", "KO", "RI", "MEN", "TA", "LO", "SAN", "VE", "DRA", "NU", "HEL", "MAR", "OS"]
GENERAL = ["IND- LIC HC SERV PRO", "OTHER BUSINESS", "MEDICAL PRACTICE, MD"]
SPECIALTY = ["NURSE/NURSES AIDE", "PHARMACY", "PHYSICIAN", "SOCIAL WORKER"]
TYPES = ["1128a1", "1128a2", "1128b4", "1128b7", "1128a3"]


def _name(chance: random.Random, syllables: int) -> str:
    return "".join(chance.choice(SYLLABLES) for _ in range(syllables))


def write(path: Path, *, rows: int, match: tuple[str, str, str]) -> None:
    """`rows` entries, one of them `match` (last name, first name, state) without an NPI."""
    chance = random.Random(rows)  # the same file for the same size
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(",".join(COLUMNS) + "\n")
        writer = csv.writer(file, quoting=csv.QUOTE_ALL, lineterminator="\n")
        for n in range(rows):
            business = n % 10 == 9
            year = chance.randint(1985, 2026)
            value = {
                "LASTNAME": "" if business else _name(chance, 3),
                "FIRSTNAME": "" if business else _name(chance, 2),
                "MIDNAME": "" if business else chance.choice(["", "A", "LEE"]),
                "BUSNAME": f"{_name(chance, 3)} HEALTH SERVICES LLC" if business else "",
                "GENERAL": chance.choice(GENERAL),
                "SPECIALTY": chance.choice(SPECIALTY),
                "UPIN": "",
                "NPI": with_check_digit(f"{1_500_000_00 + n:09d}") if year > 2008 else NO_NPI,
                "DOB": NO_DATE if business else f"{chance.randint(1940, 1995)}0{n % 9 + 1}15",
                "ADDRESS": f"{chance.randint(1, 9999)} {_name(chance, 2)} ST",
                "CITY": _name(chance, 2),
                "STATE": chance.choice(STATES),
                "ZIP": f"{chance.randint(10000, 99999)}",
                "EXCLTYPE": chance.choice(TYPES),
                "EXCLDATE": f"{year}{chance.randint(1, 12):02d}{chance.randint(1, 28):02d}",
                "REINDATE": NO_DATE,
                "WAIVERDATE": NO_DATE,
                "WVRSTATE": "",
            }
            if n == rows // 2:
                last, first, state = match
                value.update(LASTNAME=last, FIRSTNAME=first, STATE=state, NPI=NO_NPI)
            writer.writerow([value[name] for name in COLUMNS])
