from __future__ import annotations

from django.db import connections, models


class DirectoryVersion(models.Model):
    """One row whose number moves, in the same transaction, with every write to a table that
    decides who is listed or what a public page shows (ops/sql/directory_version.sql attaches
    the trigger that moves it). Public answers are cached under it: readers see the new number
    exactly when they can see the change, so no cache outlives what it was built from."""

    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = "ops_directory_version"

    def __str__(self) -> str:
        return f"directory version {self.value}"

    @classmethod
    def current(cls, using: str = "default") -> int:
        """The number as the database `using` sees it (0 before the first write)."""
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT value FROM ops_directory_version WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else 0
