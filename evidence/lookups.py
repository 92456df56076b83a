"""Crossref and NCBI E-utilities, asked only by `check_identifiers` and only when their
base URLs are configured (CROSSREF_URL, NCBI_EUTILS_URL). Standard library HTTP: two GET
requests need no client library."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from evidence import identifiers
from evidence.citations import citation_detail, vancouver

TIMEOUT_SECONDS = 20
PUBMED_BATCH = 200  # E-utilities takes up to a few hundred ids per request
USER_AGENT = "Meridian evidence library (identifier check)"


class LookupFailed(Exception):
    """The service could not be asked or gave no usable answer; nothing can be concluded."""


@dataclass
class Work:
    """What an index says about a publication."""

    title: str
    authors: list[str] = field(default_factory=list)
    journal: str = ""
    year: int | None = None
    citation_detail: str = ""
    doi: str = ""
    pmcid: str = ""


def crossref_work(*, base_url: str, doi: str, contact_email: str = "") -> Work | None:
    """GET {base}/works/{doi}; None when Crossref does not know the DOI (404)."""
    query = f"?{urllib.parse.urlencode({'mailto': contact_email})}" if contact_email else ""
    url = f"{base_url.rstrip('/')}/works/{urllib.parse.quote(doi, safe='/')}{query}"
    body = _get_json(url, service="Crossref", not_found_is_none=True)
    if body is None:
        return None
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, dict) or not message.get("title"):
        raise LookupFailed("Crossref answered without a work")
    authors = [
        vancouver(f"{person['family']}, {person.get('given', '')}")
        if person.get("family")
        else person.get("name", "")
        for person in message.get("author", [])
    ]
    date_parts = (message.get("issued") or {}).get("date-parts") or [[None]]
    return Work(
        title=_first(message.get("title")),
        authors=[name for name in authors if name],
        journal=_first(message.get("container-title")),
        year=date_parts[0][0] if date_parts[0] else None,
        citation_detail=citation_detail(
            volume=message.get("volume", ""),
            issue=message.get("issue", ""),
            pages=message.get("page", ""),
        ),
        doi=message.get("DOI", ""),
    )


def pubmed_summaries(
    *, base_url: str, pmids: list[str], contact_email: str = ""
) -> dict[str, Work | None]:
    """ESummary for many PMIDs at once: {pmid: Work, or None when PubMed has no record}."""
    found: dict[str, Work | None] = {}
    for start in range(0, len(pmids), PUBMED_BATCH):
        batch = pmids[start : start + PUBMED_BATCH]
        params = {"db": "pubmed", "retmode": "json", "id": ",".join(batch), "tool": "meridian"}
        if contact_email:
            params["email"] = contact_email
        url = f"{base_url.rstrip('/')}/esummary.fcgi?{urllib.parse.urlencode(params)}"
        body = _get_json(url, service="NCBI E-utilities")
        result = body.get("result") if isinstance(body, dict) else None
        if not isinstance(result, dict):
            raise LookupFailed(f"NCBI E-utilities answered without a result: {body!r:.200}")
        for pmid in batch:
            summary = result.get(pmid)
            found[pmid] = _pubmed_work(summary) if summary and "error" not in summary else None
    return found


def _pubmed_work(summary: dict) -> Work:
    ids = {item.get("idtype"): item.get("value", "") for item in summary.get("articleids", [])}
    year = re.match(r"\d{4}", summary.get("pubdate", ""))
    try:
        doi = identifiers.normalise_doi(ids.get("doi", ""))
        pmcid = identifiers.normalise_pmcid(ids.get("pmc", ""))
    except identifiers.IdentifierError:
        doi, pmcid = "", ""
    return Work(
        title=summary.get("title", "").rstrip("."),
        authors=[
            author["name"]
            for author in summary.get("authors", [])
            if author.get("name") and author.get("authtype") in {"Author", "CollectiveName"}
        ],
        journal=summary.get("fulljournalname") or summary.get("source", ""),
        year=int(year[0]) if year else None,
        citation_detail=citation_detail(
            volume=summary.get("volume", ""),
            issue=summary.get("issue", ""),
            pages=summary.get("pages", ""),
        ),
        doi=doi,
        pmcid=pmcid,
    )


def _get_json(url: str, *, service: str, not_found_is_none: bool = False):
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404 and not_found_is_none:
            return None
        raise LookupFailed(f"{service} answered HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise LookupFailed(f"{service} could not be reached ({reason})") from None
    except ValueError:
        raise LookupFailed(f"{service} answered with something other than JSON") from None


def _first(values) -> str:
    if isinstance(values, list) and values:
        return " ".join(str(values[0]).split())
    return ""
