"""Reads of what the automatic sources found that pages outside credentialing show."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from credentialing.source_models import DELISTING, ExclusionStatus, ImportedFile, SourceKind

if TYPE_CHECKING:
    from directory.models import Practitioner


def exclusion_checked_on(practitioner: Practitioner) -> datetime.date | None:
    """The date for "Not on the US federal exclusion list (checked DATE)": the last LEIE
    screening, for a practitioner with an NPI and no open match; None when not to be said."""
    if not practitioner.npi:
        return None
    if practitioner.exclusion_matches.filter(
        status__in=[*DELISTING, ExclusionStatus.POSSIBLE]
    ).exists():
        return None
    latest = ImportedFile.objects.filter(source=SourceKind.EXCLUSIONS).first()
    return timezone.localdate(latest.imported_at) if latest else None
