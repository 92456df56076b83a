"""The opaque page cursor of a search's `next` link: the last match's ordering key (keyset
paging), so any page costs what the first does, and the number of matches before it, so
the last page can state the total for free. Signed, so a client can only follow it; and
scoped to what it pages (a type's search, or history), since each orders by its own key."""

from __future__ import annotations

from django.core import signing

from fhir_api.errors import bad_parameter

SALT = "meridian.fhir.cursor"


def cursor_encode(*, key: list, seen: int, scope: str) -> str:
    return signing.dumps({"k": key, "n": seen, "s": scope}, salt=SALT, compress=True)


def cursor_decode(parameter: str, raw: str, *, scope: str) -> tuple[list, int]:
    try:
        found = signing.loads(raw, salt=SALT)
        key, seen = found["k"], int(found["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise bad_parameter(
            parameter, "not a cursor this server wrote; follow the links."
        ) from None
    if not isinstance(key, list) or seen < 0:
        raise bad_parameter(parameter, "not a cursor this server wrote; follow the links.")
    if found.get("s") != scope:
        raise bad_parameter(parameter, "this cursor pages another search; follow its links.")
    return key, seen
