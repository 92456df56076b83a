"""FHIR's `_filter` (R4 search_filter.html) over the search parameters a type already has:
each `name op value` becomes that parameter's own filter with the modifier or prefix the
operator means, so `_filter=family sw "ch"` finds exactly what `family=ch` finds. The
subset served:

- `and`, `or`, `not(...)` and parentheses; `and` binds tighter than `or`
  (`a or b and c` is `a or (b and c)`). Keywords and operators are lower case, as in the
  specification.
- Values are JSON strings ("...", with JSON's escapes) or bare tokens (no whitespace, `)`
  or `]`).
- token and `_id`: eq, ne; reference: eq, re, ne; string: eq (:exact), sw (the default,
  starts with), co (:contains), ne (not eq); date: eq, ne, gt, lt, ge, le, sa (gt), eb (lt).
- Refused with 400: any other operator, unknown parameters, chains (`a.b`), filtered paths
  (`a[...]`), `near`, modifiers, and any syntax error (with the character where it is).
  Input is bounded: MAX_LENGTH characters, MAX_DEPTH levels of parentheses, MAX_TERMS
  comparisons.

A resource can be made of several rows (a practitioner and their credentials, a role and
its practitioner's techniques), so `ne` and `not` do not negate a join: they keep the
resources that are not among those matching, `~Q(pk__in=<the matching pks>)`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from fhir_api import search_values, selectors
from fhir_api.errors import FhirError, bad_parameter
from fhir_api.search_parameters import Parameter, parameter

MAX_LENGTH = 2000
MAX_DEPTH = 16
MAX_TERMS = 32

# Every comparison operator of the specification; those not in SUPPORTED are refused as
# not supported rather than as a syntax error.
OPERATORS = (
    "eq",
    "ne",
    "co",
    "sw",
    "ew",
    "gt",
    "lt",
    "ge",
    "le",
    "ap",
    "sa",
    "eb",
    "pr",
    "po",
    "ss",
    "sb",
    "in",
    "ni",
    "re",
)
SUPPORTED = {
    "token": ("eq", "ne"),
    "reference": ("eq", "re", "ne"),
    "string": ("eq", "sw", "co", "ne"),
    "date": ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb"),
}
STRING_MODIFIERS = {"eq": "exact", "sw": "", "co": "contains"}
DATE_PREFIXES = {"sa": "gt", "eb": "lt"}  # the rest are the search prefixes of that name
ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
NAME = re.compile(r"[A-Za-z0-9_-]+")
WORD = re.compile(r"[^\s()]*")  # a name, an operator, a keyword: up to a space or parenthesis


@dataclass(frozen=True)
class Term:
    name: str
    operator: str
    value: str
    position: int  # where the name starts, counted from 0


@dataclass(frozen=True)
class Not:
    inner: Node


@dataclass(frozen=True)
class Logic:
    word: str  # "and" or "or"
    parts: tuple[Node, ...]


Node = Term | Not | Logic


def where(resource_type: str, key: str, modifier: str, raw: str) -> Q:
    """The Q of one `_filter` value on the type's rows; a FhirError naming `key` for
    anything it cannot serve."""
    if modifier:
        raise bad_parameter(key, "no modifier is supported.", code="not-supported")
    return _Query(resource_type, key).q(parse(key, raw))


def where_over(
    node: Node,
    *,
    key: str,
    label: str,
    lookup: Callable[[str], Parameter | None],
    rows: Callable[[], QuerySet],
) -> Q:
    """The Q of a parsed filter over another table of parameters (`lookup`) and the rows
    they filter (`rows`): the same operators, for resources that are not the type's own
    rows (the organisations from NPPES among Organizations)."""
    return _Query(label, key, lookup=lookup, rows=rows).q(node)


def parse(key: str, raw: str) -> Node:
    return _Parser(key, raw).filter()


class _Parser:
    """Recursive descent over the grammar; depth and size are bounded before recursing."""

    def __init__(self, key: str, text: str) -> None:
        self.key = key
        self.text = text
        self.at = 0
        self.terms = 0

    def fail(self, message: str, *, at: int | None = None, code: str = "invalid") -> FhirError:
        where = self.at if at is None else at
        return bad_parameter(self.key, f"at character {where + 1}: {message}", code=code)

    def filter(self) -> Node:
        if len(self.text) > MAX_LENGTH:
            raise bad_parameter(
                self.key, f"the filter is longer than {MAX_LENGTH} characters.", code="too-costly"
            )
        if "\x00" in self.text:
            raise bad_parameter(self.key, "the filter contains a NUL character.")
        if not self.text.strip():
            raise bad_parameter(self.key, "an empty filter is not a search.")
        node = self.disjunction(0)
        self.spaces()
        if self.at < len(self.text):
            if self.text[self.at] == ")":
                raise self.fail("')' closes no '('.")
            raise self.fail(f"expected 'and', 'or' or the end, found {self.word()!r}.")
        return node

    def disjunction(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise self.fail(f"nested deeper than {MAX_DEPTH} parentheses.", code="too-costly")
        parts = [self.conjunction(depth)]
        while self.keyword("or"):
            parts.append(self.conjunction(depth))
        return parts[0] if len(parts) == 1 else Logic("or", tuple(parts))

    def conjunction(self, depth: int) -> Node:
        parts = [self.unary(depth)]
        while self.keyword("and"):
            parts.append(self.unary(depth))
        return parts[0] if len(parts) == 1 else Logic("and", tuple(parts))

    def unary(self, depth: int) -> Node:
        self.spaces()
        if self.at >= len(self.text):
            raise self.fail("expected a comparison, 'not(' or '(', found the end.")
        if self.text[self.at] == "(":
            return self.group(depth)
        word = self.word()
        after = self.at + len(word)
        while after < len(self.text) and self.text[after].isspace():
            after += 1
        if word.lower() == "not" and self.text[after : after + 1] == "(":
            if word != "not":
                raise self.fail(f"{word!r}: not, and and or are written in lower case.")
            self.at = after
            return Not(self.group(depth))
        return self.term()

    def group(self, depth: int) -> Node:
        opened = self.at
        self.at += 1  # "("
        node = self.disjunction(depth + 1)
        self.spaces()
        if self.at >= len(self.text):
            raise self.fail("the '(' opened here is not closed.", at=opened)
        if self.text[self.at] != ")":
            raise self.fail(f"expected 'and', 'or' or ')', found {self.word()!r}.")
        self.at += 1
        return node

    def keyword(self, word: str) -> bool:
        """Whether `word` (and or or) comes next; consumed if so."""
        start = self.at
        self.spaces()
        found = self.word()
        if found.lower() == word and found != word:
            raise self.fail(f"{found!r}: not, and and or are written in lower case.")
        if found != word:
            self.at = start
            return False
        if self.at == start and self.text[start - 1 : start] != ")":
            raise self.fail(f"expected a space before {word!r}.")
        self.at += len(word)
        return True

    def term(self) -> Term:
        start = self.at
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise self.fail(f"more than {MAX_TERMS} comparisons.", code="too-costly")
        name = self.word()
        if not name:
            raise self.fail(f"expected a search parameter name, found {self.text[self.at]!r}.")
        if "[" in name:
            raise self.fail(
                f"{name.partition('[')[0]}[...]: filtered paths are not supported.",
                code="not-supported",
            )
        if "." in name:
            raise self.fail(f"{name}: chained parameters are not supported.", code="not-supported")
        if ":" in name:
            raise self.fail(f"{name}: modifiers are not part of _filter.", code="not-supported")
        if not NAME.fullmatch(name):
            raise self.fail(f"{name!r} is not a search parameter name.")
        self.at += len(name)
        self.separator(f"a space and an operator after {name!r}")
        operator = self.word()
        if operator.lower() in OPERATORS and operator not in OPERATORS:
            raise self.fail(f"{operator!r}: operators are written in lower case.")
        if operator not in OPERATORS:
            raise self.fail(
                f"expected an operator ({', '.join(OPERATORS)}), found {operator!r}."
                if operator
                else "expected an operator."
            )
        self.at += len(operator)
        self.separator(f"a space and a value after '{name} {operator}'")
        return Term(name, operator, self.value(), start)

    def value(self) -> str:
        if self.text[self.at] == '"':
            return self.string()
        start = self.at
        while self.at < len(self.text) and not self.text[self.at].isspace():
            if self.text[self.at] in ")]":
                break
            self.at += 1
        if self.at == start:
            raise self.fail(f"expected a value, found {self.text[self.at]!r}.")
        return self.text[start : self.at]

    def string(self) -> str:
        opened = self.at
        self.at += 1
        found = []
        while True:
            if self.at >= len(self.text):
                raise self.fail("the string opened here is not closed.", at=opened)
            char = self.text[self.at]
            if char == '"':
                self.at += 1
                break
            if char != "\\":
                found.append(char)
                self.at += 1
                continue
            escaped = self.text[self.at + 1 : self.at + 2]
            digits = self.text[self.at + 2 : self.at + 6]
            if escaped in ESCAPES:
                found.append(ESCAPES[escaped])
                self.at += 2
            elif escaped == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", digits):
                found.append(chr(int(digits, 16)))
                self.at += 6
            else:
                raise self.fail(f"'\\{escaped}' is not a JSON escape (use \\\" or \\\\).")
        try:  # pairs of \u escapes make one character; a lone half of a pair is refused
            value = "".join(found).encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            raise self.fail("the string is not valid Unicode.", at=opened) from None
        if "\x00" in value:
            raise self.fail("the string contains a NUL character.", at=opened)
        return value

    def separator(self, expected: str) -> None:
        if self.at >= len(self.text) or not self.text[self.at].isspace():
            found = repr(self.text[self.at]) if self.at < len(self.text) else "the end"
            raise self.fail(f"expected {expected}, found {found}.")
        self.spaces()
        if self.at >= len(self.text):
            raise self.fail(f"expected {expected.removeprefix('a space and ')}, found the end.")

    def spaces(self) -> None:
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1

    def word(self) -> str:
        """The characters from here to the next space or parenthesis."""
        match = WORD.match(self.text, self.at)
        return match[0] if match else ""


def evaluate(resource_type: str, node: Node, answers: Callable[[str, str, str], bool]) -> bool:
    """A parsed `_filter` on one resource that is not a row (a qualification issuer, the
    directory's own Endpoint), with the operators `where` serves: `answers(name, modifier,
    value)` says whether it matches one parameter given the modifier or prefix the term's
    operator means, as the rows' own filters are given them. The filter was checked (`where`)
    on the type's rows first."""
    if isinstance(node, Not):
        return not evaluate(resource_type, node.inner, answers)
    if isinstance(node, Logic):
        results = (evaluate(resource_type, part, answers) for part in node.parts)
        return all(results) if node.word == "and" else any(results)
    found = parameter(resource_type, node.name)
    assert found is not None  # where() refused any other name
    found_it = answers(node.name, *_meaning(found.type, node))
    return not found_it if node.operator == "ne" else found_it


def _meaning(parameter_type: str, term: Term) -> tuple[str, str]:
    """(modifier, value) of the parameter's own filter that a term's operator means; `ne`
    is `eq`, negated by the caller."""
    operator = "eq" if term.operator in {"ne", "re"} else term.operator
    if parameter_type == "date":
        return "", DATE_PREFIXES.get(operator, operator) + term.value
    if parameter_type == "string":
        return STRING_MODIFIERS[operator], term.value
    return "", term.value


def names(node: Node) -> set[str]:
    """The parameters a parsed filter names."""
    if isinstance(node, Term):
        return {node.name}
    if isinstance(node, Not):
        return names(node.inner)
    return set().union(*(names(part) for part in node.parts))


def not_matching(resource_type: str, q: Q) -> Q:
    """The rows of resources that do not match `q`. Not `~q`: negating a join over a
    multi-valued relation (a practitioner's licenses) asks that no row meets each condition
    on its own, not that no row meets them together."""
    return _excluding(_rows(resource_type), q)


def _excluding(rows: QuerySet, q: Q) -> Q:
    if not q:  # ~Q() is Q() again: every row
        return Q(pk__in=[])
    return ~Q(pk__in=rows.filter(q).values("pk"))


def _rows(resource_type: str) -> QuerySet:
    if resource_type == "Practitioner":
        return selectors.practitioners()
    return selectors.locations()


class _Query:
    """A parsed filter as a Q on the type's rows (Location or Practitioner), or on the rows
    and parameters given."""

    def __init__(
        self,
        resource_type: str,
        key: str,
        *,
        lookup: Callable[[str], Parameter | None] | None = None,
        rows: Callable[[], QuerySet] | None = None,
    ) -> None:
        self.resource_type = resource_type
        self.key = key
        self.lookup = lookup or (lambda name: parameter(resource_type, name))
        self.rows = rows or (lambda: _rows(resource_type))

    def q(self, node: Node) -> Q:
        if isinstance(node, Term):
            return self.term(node)
        if isinstance(node, Not):
            return self.negated(self.q(node.inner))
        parts = [self.q(part) for part in node.parts]
        if node.word == "and":
            both = Q()
            for part in parts:
                both &= part
            return both
        if any(not part for part in parts):  # an empty Q matches every row, and Q() | x is x
            return Q()
        found = parts[0]
        for part in parts[1:]:
            found |= part
        return found

    def negated(self, q: Q) -> Q:
        return _excluding(self.rows(), q)

    def term(self, term: Term) -> Q:
        def refuse(message: str, code: str = "not-supported") -> FhirError:
            return bad_parameter(
                self.key, f"at character {term.position + 1}: {message}", code=code
            )

        found = self.lookup(term.name)
        if found is None or found.name == "_filter":
            raise refuse(f"{term.name} is not a search parameter of {self.resource_type}.")
        if found.filter is None:
            raise refuse(f"{term.name} is not supported inside _filter; give it on its own.")
        allowed = SUPPORTED.get(found.type, ())
        if term.operator not in allowed:
            raise refuse(
                f"the operator {term.operator} is not supported for {term.name} ({found.type}"
                f" parameter; supported: {', '.join(allowed) or 'none'})."
            )
        if not term.value.strip():
            raise refuse("an empty value is not a search.", code="invalid")
        if len(term.value) > search_values.MAX_VALUE_LENGTH:
            raise refuse(
                f"the value is longer than {search_values.MAX_VALUE_LENGTH} characters.",
                code="invalid",
            )
        modifier, value = _meaning(found.type, term)
        try:
            q = found.filter(term.name, modifier, [value])
        except FhirError as error:
            raise refuse(
                f"{term.name} {term.operator} {term.value!r}: {error}", error.code
            ) from None
        return self.negated(q) if term.operator == "ne" else q
