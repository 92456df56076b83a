"""Street addresses typed into the search ("350 5th Ave, New York, NY 10118"), read with
`usaddress` (a parser trained on US addresses) for what the offline gazetteer can place:
the ZIP code inside, else the town and state. A UK postcode at the end of an address
("221B Baker Street, London NW1 6XE") is taken the same way."""

from __future__ import annotations

from dataclasses import dataclass

import usaddress

from directory import postcodes

STREET_PARTS = {"StreetName", "StreetNamePostType", "StreetNamePreType"}


@dataclass(frozen=True)
class StreetAddress:
    zip_code: str = ""  # five digits
    postcode: str = ""  # a UK postcode at the end
    town: str = ""
    state: str = ""


def parse(text: str) -> StreetAddress | None:
    """The parts of a street address that place it, or None when the text is not one (a
    town, a ZIP code, a name): it must start with a house number and name a street."""
    first = text.split(",")[0].strip()
    if not first[:1].isdigit() or first.replace("-", "").isdigit():
        return None  # not a house number and a street: a postcode, a town
    try:
        parts, _ = usaddress.tag(text)
    except usaddress.RepeatedLabelError as error:
        parts = {label: value for value, label in error.parsed_string}
    if "AddressNumber" not in parts or not STREET_PARTS & set(parts):
        return None
    zip_code = parts.get("ZipCode", "")[:5]
    uk = postcodes.UK_AT_END.search(postcodes.normal(text))
    return StreetAddress(
        zip_code=zip_code if zip_code.isdigit() and len(zip_code) == 5 else "",
        postcode=uk[1] if uk and not zip_code.isdigit() else "",
        town=parts.get("PlaceName", "").strip(" ,"),
        state=parts.get("StateName", "").strip(" ,."),
    )
