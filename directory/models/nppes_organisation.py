"""Organisations from NPPES (entity type 2) holding an acupuncture taxonomy: the practices
and clinics that bill under their own NPI. Kept apart from practitioners and their clinics
because NPPES is all Meridian knows of them: nobody claims them, no license lists them, and
they are published (as FHIR Organizations) exactly as NPPES describes them. Set and cleared
by import_nppes only."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from credentialing.npi import validate_npi


class NppesOrganisationQuerySet(models.QuerySet):
    def listed(self) -> NppesOrganisationQuerySet:
        """What the directory publishes: NPIs NPPES lists as active whose latest row still
        holds an acupuncture taxonomy."""
        return self.filter(deactivated_on__isnull=True).exclude(taxonomy_codes=[])


class NppesOrganisation(models.Model):
    npi = models.CharField("NPI", max_length=10, unique=True, validators=[validate_npi])
    legal_name = models.CharField(
        max_length=200, help_text="NPPES's Provider Organization Name (Legal Business Name)."
    )
    # The practice location, where Meridian lists the country and region (as for a
    # practitioner's clinic); blank otherwise.
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=3, blank=True)
    postal_code = models.CharField(max_length=12, blank=True)
    country = models.CharField(max_length=2, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    taxonomy_codes = ArrayField(
        models.CharField(max_length=10),
        default=list,
        blank=True,
        help_text="The acupuncture taxonomy codes (NPPES_TAXONOMY_CODES) its latest row holds.",
    )
    deactivated_on = models.DateField(
        null=True,
        blank=True,
        help_text="NPPES lists the NPI as deactivated from this day (no later reactivation).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NppesOrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["npi"]
        verbose_name = "NPPES organisation"
        constraints = [
            models.CheckConstraint(
                condition=Q(npi__regex=r"^[0-9]{10}$"),
                name="directory_nppesorganisation_npi_ten_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.legal_name} (NPI {self.npi})"
