"""Writes to the evidence library: loading the starter content, importing citation files,
checking identifiers online. Views, admin, commands and load_demo all call these."""

from evidence.services.citation_import import ImportReport, ImportResult, citations_import
from evidence.services.identifier_check import IdentifierCheck, identifiers_check
from evidence.services.seed import SEED_PATH, SeedError, SeedReport, evidence_seed_load

__all__ = [
    "SEED_PATH",
    "IdentifierCheck",
    "ImportReport",
    "ImportResult",
    "SeedError",
    "SeedReport",
    "citations_import",
    "evidence_seed_load",
    "identifiers_check",
]
