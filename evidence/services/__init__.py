"""Writes to the evidence library, called by views, admin, commands and load_demo alike."""

from evidence.services.citation_import import ImportReport, ImportResult, citations_import
from evidence.services.seed import SEED_PATH, SeedError, SeedReport, evidence_seed_load

__all__ = [
    "SEED_PATH",
    "ImportReport",
    "ImportResult",
    "SeedError",
    "SeedReport",
    "citations_import",
    "evidence_seed_load",
]
