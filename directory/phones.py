"""Clinic telephone numbers: stored in E.164, shown in the country's national format, dialled
through tel: links. Parsed with phonenumbers (Google's libphonenumber metadata), offline."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError


def normalise(text: str, country: str) -> str:
    """E.164 for a number as typed ("(415) 555-0123" in the US -> "+14155550123"); a
    number with a + prefix may be from any country. Raises ValidationError when it is not a
    possible number there."""
    text = text.strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, country or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            f"“{text}” is not a telephone number we can dial; give it as the clinic's "
            "patients would dial it, e.g. (415) 555-0123, or with its country code (+44 …).",
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national(stored: str, country: str) -> str:
    """A stored number as patients in its country write it ("(415) 555-0123"); a number
    stored before numbers were normalised is shown as it was typed."""
    try:
        number = phonenumbers.parse(stored, country or None)
    except phonenumbers.NumberParseException:
        return stored
    if phonenumbers.region_code_for_number(number) != country:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def dial(stored: str, country: str) -> str:
    """The tel: form of a stored number: E.164 where it parses, its digits otherwise."""
    try:
        number = phonenumbers.parse(stored, country or None)
    except phonenumbers.NumberParseException:
        return "".join(char for char in stored if char.isdigit() or char == "+")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
