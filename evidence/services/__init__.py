"""Writes to the evidence library: loading the starter content, importing citation files,
checking identifiers online. Views, admin, commands and load_demo all call these."""

from evidence.services.additions import (
    ADDITIONS_PATH,
    AdditionsReport,
    evidence_additions_load,
)
from evidence.services.citation_import import ImportReport, ImportResult, citations_import
from evidence.services.identifier_check import IdentifierCheck, identifiers_check
from evidence.services.seed import SEED_PATH, SeedError, SeedReport, evidence_seed_load

__all__ = [
    "ADDITIONS_PATH",
    "SEED_PATH",
    "AdditionsReport",
    "IdentifierCheck",
    "ImportReport",
    "ImportResult",
    "SeedError",
    "SeedReport",
    "citations_import",
    "evidence_additions_load",
    "evidence_seed_load",
    "identifiers_check",
]
