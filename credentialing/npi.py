"""The US National Provider Identifier: ten digits whose last is a Luhn check digit
computed over the prefix 80840 followed by the first nine (the NPI standard, 45 CFR 162.406;
the prefix is the NPI's issuer identifier in the ISO 7812 card-number scheme)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from stdnum import luhn

# The health industry's issuer prefix, which every NPI's check digit covers.
ISSUER_PREFIX = "80840"


def is_valid_npi(value: str) -> bool:
    return (
        len(value) == 10
        and value.isascii()
        and value.isdigit()
        and luhn.is_valid(ISSUER_PREFIX + value)
    )


def validate_npi(value: str) -> None:
    if not is_valid_npi(value):
        raise ValidationError(
            "An NPI is 10 digits whose last digit checks the others; this one does not. "
            "Copy it from your NPPES record.",
            code="invalid_npi",
        )


def with_check_digit(first_nine: str) -> str:
    """The NPI made of these nine digits and their check digit (for tests and demo data)."""
    return first_nine + luhn.calc_check_digit(ISSUER_PREFIX + first_nine)
