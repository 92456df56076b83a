"""Files in the public record's real formats, for the tests: the NPPES Data Dissemination
CSV (the real 329-column header, every value quoted) and its published .zip, the LEIE and
board rosters. Their dates are written at test time, relative to the run's frozen today
(tests/conftest.py), each in its format's own way (NPPES MM/DD/YYYY, LEIE YYYYMMDD)."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from pathlib import Path

from tests.factories import days_from_today

DATA = Path(__file__).parent / "data"
NPPES_COLUMNS = (DATA / "nppes-columns.txt").read_text().splitlines()
ACUPUNCTURIST = "171100000X"
MASSAGE_THERAPIST = "225700000X"
NPPES_START = datetime.date(2005, 5, 23)  # NPPES's first day: where every full file starts


def nppes_date(day: datetime.date) -> str:
    return f"{day:%m/%d/%Y}"


def leie_date(day: datetime.date) -> str:
    return f"{day:%Y%m%d}"


def nppes_file_day() -> datetime.date:
    """The day of the NPPES files the tests write unless told otherwise: two and a half weeks
    ago, so that the weekly files after it (a week each) are in the past too."""
    return days_from_today(-17)


def nppes_weekly_name(end: datetime.date) -> str:
    """The name NPPES gives its weekly file of the seven days up to `end`."""
    start = end - datetime.timedelta(days=6)
    return f"npidata_pfile_{start:%Y%m%d}-{end:%Y%m%d}.csv"


def leie_excluded_on() -> datetime.date:
    """The day leie_row's exclusions date from unless told otherwise: a week ago."""
    return days_from_today(-7)


def nppes_row(
    npi: str,
    *,
    last: str = "",
    first: str = "",
    entity: str = "1",
    credential: str = "L.AC.",
    organisation: str = "",
    address: tuple[str, str] = ("", ""),
    city: str = "",
    state: str = "",
    postal: str = "",
    country: str = "",
    phone: str = "",
    slots: dict[int, tuple[str, str, str]] | None = None,
    deactivated: str = "",
    reactivated: str = "",
) -> dict[str, str]:
    """One NPPES row by column name; `slots` maps a slot number to (taxonomy, license
    number, license state)."""
    row = {
        "NPI": npi,
        "Entity Type Code": entity,
        "Provider Organization Name (Legal Business Name)": organisation,
        "Provider Last Name (Legal Name)": last,
        "Provider First Name": first,
        "Provider Credential Text": credential if entity == "1" else "",
        "Provider First Line Business Practice Location Address": address[0],
        "Provider Second Line Business Practice Location Address": address[1],
        "Provider Business Practice Location Address City Name": city,
        "Provider Business Practice Location Address State Name": state,
        "Provider Business Practice Location Address Postal Code": postal,
        "Provider Business Practice Location Address Country Code (If outside U.S.)": country,
        "Provider Business Practice Location Address Telephone Number": phone,
        "Provider Enumeration Date": "05/23/2008",
        "Last Update Date": nppes_date(days_from_today(-120)),
        "NPI Deactivation Date": deactivated,
        "NPI Reactivation Date": reactivated,
    }
    for slot, (taxonomy, number, license_state) in (slots or {}).items():
        row[f"Healthcare Provider Taxonomy Code_{slot}"] = taxonomy
        row[f"Provider License Number_{slot}"] = number
        row[f"Provider License Number State Code_{slot}"] = license_state
        row[f"Healthcare Provider Primary Taxonomy Switch_{slot}"] = "Y" if slot == 1 else "N"
    return row


def deactivated_row(npi: str, day: str) -> dict[str, str]:
    """How NPPES publishes a deactivated NPI: the NPI and the date, every other field blank."""
    return {"NPI": npi, "NPI Deactivation Date": day}


def nppes_csv(rows: list[dict[str, str]], *, columns: list[str] | None = None) -> str:
    columns = columns or NPPES_COLUMNS
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(name, "") for name in columns])
    return out.getvalue()


def write_nppes(directory: Path, rows, *, name: str | None = None) -> Path:
    """A full NPPES file (from NPPES's first day to nppes_file_day()) unless `name` says
    another."""
    path = directory / (name or f"npidata_pfile_{NPPES_START:%Y%m%d}-{nppes_file_day():%Y%m%d}.csv")
    path.write_text(nppes_csv(rows), encoding="utf-8")
    return path


def write_nppes_zip(directory: Path, rows, *, end: datetime.date | None = None) -> Path:
    """The monthly archive as CMS publishes it: the data file, its header-only twin, and
    the other files beside them."""
    end = end or nppes_file_day()
    path = directory / f"NPPES_Data_Dissemination_{end:%B_%Y}_V2_{end:%Y%m%d}.zip"
    files = f"{NPPES_START:%Y%m%d}-{end:%Y%m%d}"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"npidata_pfile_{files}.csv", nppes_csv(rows))
        archive.writestr(f"npidata_pfile_{files}_fileheader.csv", nppes_csv([]))
        archive.writestr(f"pl_pfile_{files}.csv", '"NPI","Provider Secondary"\n')
        archive.writestr("NPPES_Data_Dissemination_Readme.pdf", b"%PDF-1.4\n")
    return path


LEIE_COLUMNS = (DATA / "leie-columns.txt").read_text().splitlines()


def leie_row(
    *,
    last: str = "",
    first: str = "",
    business: str = "",
    npi: str = "0000000000",
    state: str = "CA",
    excluded: str = "",
    reinstated: str = "00000000",
    general: str = "IND- LIC HC SERV PRO",
    specialty: str = "ACUPUNCTURIST",
) -> dict[str, str]:
    return {
        "LASTNAME": last,
        "FIRSTNAME": first,
        "MIDNAME": "",
        "BUSNAME": business,
        "GENERAL": general,
        "SPECIALTY": specialty,
        "UPIN": "",
        "NPI": npi,
        "DOB": "19700101" if last else "00000000",
        "ADDRESS": "1 MAIN ST, STE 2",
        "CITY": "SAN FRANCISCO",
        "STATE": state,
        "ZIP": "94110",
        "EXCLTYPE": "1128b4",
        "EXCLDATE": excluded or leie_date(leie_excluded_on()),
        "REINDATE": reinstated,
        "WAIVERDATE": "00000000",
        "WVRSTATE": "",
    }


def write_leie(directory: Path, rows: list[dict[str, str]], *, name: str = "UPDATED.csv") -> Path:
    """As the OIG publishes it: the header line unquoted, every value double-quoted."""
    out = io.StringIO()
    out.write(",".join(LEIE_COLUMNS) + "\n")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for row in rows:
        writer.writerow([row.get(name, "") for name in LEIE_COLUMNS])
    path = directory / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def ca_board_line(
    number: str,
    last: str,
    first: str,
    status: str,
    issued: datetime.date | None = None,
    expires: datetime.date | None = None,
    action: str = "",
) -> str:
    """One line of the California Acupuncture Board's fixed-width file (layout
    ca-acupuncture-fixed: 10, 30, 20, 15, 10, 10, 80 characters; dates MM/DD/YYYY)."""
    issued_text, expires_text = (f"{day:%m/%d/%Y}" if day else "" for day in (issued, expires))
    return (
        f"{number:<10}{last:<30}{first:<20}{status:<15}{issued_text:<10}{expires_text:<10}"
        f"{action:<80}"
    ).rstrip()


def write_ca_board_roster(directory: Path, lines: list[str], *, day: datetime.date) -> Path:
    """The board's file as it is sold, named for its day (ca-acupuncture-board-YYYYMMDD.txt)."""
    path = directory / f"ca-acupuncture-board-{day:%Y%m%d}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_generic_roster(directory: Path, rows: list[list[str]], name: str = "roster.csv"):
    header = (
        "jurisdiction,license_number,last_name,first_name,status,issued_on,expires_on,board_action"
    )
    out = io.StringIO()
    out.write(header + "\n")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = directory / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path
