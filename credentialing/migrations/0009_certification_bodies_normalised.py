"""Certifying bodies written before the vocabulary ("nccaom", "N.C.C.A.O.M.") take its
spelling ("NCCAOM"), so the search's certification filter, which matches the body exactly,
finds their holders. A row whose normalised body would duplicate another certification
(same body, credential and number) is left as written, for staff to merge. Only the body
changes: no status, so no verification event is needed. Reversing leaves the spellings."""

from django.db import migrations


def normalise(apps, schema_editor):
    from credentialing.certification_bodies import canonical

    Certification = apps.get_model("credentialing", "Certification")
    for certification in Certification.objects.only("pk", "body", "credential", "number"):
        body = canonical(certification.body)
        if not body or body == certification.body:
            continue
        duplicate = Certification.objects.filter(
            body=body, credential=certification.credential, number=certification.number
        ).exists()
        if not duplicate:
            Certification.objects.filter(pk=certification.pk).update(body=body)


class Migration(migrations.Migration):
    dependencies = [("credentialing", "0008_rules_from_sql_files")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
