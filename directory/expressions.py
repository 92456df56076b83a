"""PostgreSQL `earthdistance` functions as Django expressions, so geographic queries stay
composable querysets instead of SQL strings."""

from __future__ import annotations

from django.db import models
from django.db.models import Func


class EarthField(models.Field):
    """The `earth` type (a cube) returned by ll_to_earth(); used only as an output type."""

    def db_type(self, connection) -> str:
        return "earth"


class LlToEarth(Func):
    """ll_to_earth(latitude, longitude): a point on the earth's surface, GiST-indexable."""

    function = "ll_to_earth"
    arity = 2
    output_field = EarthField()
