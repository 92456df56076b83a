"""Places: the offline gazetteer and the cache of online geocoder answers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.expressions import Normalize


class PlaceKind(models.TextChoices):
    POSTAL = "postal", _("Postal code")
    CITY = "city", _("City")


class Place(models.Model):
    """A postal code or a city with its centre, loaded by `manage.py load_places` from
    packages that ship their data (US ZIP codes; GeoNames cities of 5,000+ people).

    Unmanaged: its table is created in SQL (with a generated, accent-free `search_name`,
    see directory/sql/normalize.sql, and trigram indexes), and test-database flushes leave
    it in place."""

    kind = models.CharField(max_length=6, choices=PlaceKind.choices)
    name = models.CharField(max_length=200)
    search_name = models.GeneratedField(
        expression=Normalize("name"), output_field=models.TextField(), db_persist=True
    )
    region = models.CharField(max_length=10)
    region_name = models.CharField(max_length=100)
    country = models.CharField(max_length=2)
    country_name = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=12)
    locality = models.CharField(max_length=100, help_text="The town a postal code serves")
    latitude = models.FloatField()
    longitude = models.FloatField()
    population = models.IntegerField(help_text="0 where unknown (towns from ZIP data)")
    zip_codes = models.IntegerField(help_text="For towns from ZIP data: how many ZIP codes")

    class Meta:
        managed = False

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What a person would type back: "10001 New York, NY", "Brooklyn, NY",
        "Sydney, New South Wales, Australia"."""
        if self.country == "US":
            if self.kind == PlaceKind.POSTAL:
                return f"{self.postal_code} {self.locality}, {self.region}"
            return f"{self.name}, {self.region}" if self.region else self.name
        if self.kind == PlaceKind.POSTAL:  # "M5H, Downtown Toronto, Canada"
            return ", ".join(
                part for part in [self.postal_code, self.locality, self.country_name] if part
            )
        parts = [self.name, self.region_name, self.country_name]
        return ", ".join(part for part in parts if part)


class GeocodedAddress(models.Model):
    """Every answer from the online geocoder, so an address is looked up only once."""

    query = models.CharField(max_length=300, unique=True, help_text="Normalised query text")
    found = models.BooleanField()
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    precision = models.CharField(max_length=10, blank=True)
    label = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "geocoded addresses"

    def __str__(self) -> str:
        return self.query
