import django.contrib.postgres.constraints
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.models import Exists, OuterRef

import directory.expressions

TIME_RANGE = "CREATE TYPE timerange AS RANGE (subtype = time)"


def merge_overlapping_hours(apps, schema_editor):
    """Rows written before the rule, by a path that skipped directory.hours.check (the
    admin), may overlap: each day's overlapping stretches become one, from the earliest
    opening to the latest closing, which is when the clinic said it was open. Stretches that
    only meet stay as they are. Without this the constraint could not be added."""
    OpeningInterval = apps.get_model("directory", "OpeningInterval")
    overlapping = OpeningInterval.objects.filter(
        location=OuterRef("location"),
        weekday=OuterRef("weekday"),
        opens__lt=OuterRef("closes"),
        closes__gt=OuterRef("opens"),
    ).exclude(pk=OuterRef("pk"))
    days = (
        OpeningInterval.objects.filter(Exists(overlapping))
        .values_list("location_id", "weekday")
        .distinct()
    )
    for location_id, weekday in list(days):
        day = OpeningInterval.objects.filter(location_id=location_id, weekday=weekday)
        kept, surplus = [], []
        for interval in day.order_by("opens", "closes"):
            if kept and interval.opens < kept[-1].closes:
                kept[-1].closes = max(kept[-1].closes, interval.closes)
                surplus.append(interval.pk)
            else:
                kept.append(interval)
        OpeningInterval.objects.filter(pk__in=surplus).delete()
        OpeningInterval.objects.bulk_update(kept, ["closes"])


class Migration(migrations.Migration):
    """No two opening intervals of a clinic overlap on the same day, whatever writes them.
    btree_gist (a trusted extension since PostgreSQL 13: the database's owner may create it)
    lets the GiST index compare the clinic and weekday for equality; `timerange` is the range
    type PostgreSQL lacks for times of day."""

    dependencies = [("directory", "0024_rules_from_sql_files")]

    operations = [
        BtreeGistExtension(),
        migrations.RunSQL(TIME_RANGE, "DROP TYPE timerange"),
        migrations.RunPython(merge_overlapping_hours, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="openinginterval",
            constraint=django.contrib.postgres.constraints.ExclusionConstraint(
                name="directory_opening_interval_no_overlap",
                expressions=[
                    ("location", "="),
                    ("weekday", "="),
                    (directory.expressions.TimeRange("opens", "closes"), "&&"),
                ],
                violation_error_message="Opening hours on the same day must not overlap.",
            ),
        ),
    ]
