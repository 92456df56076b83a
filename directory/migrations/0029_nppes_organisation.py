import credentialing.npi
import django.contrib.postgres.fields
from django.db import migrations, models

from ops.directory_version import attach_triggers


class Migration(migrations.Migration):
    """Organisations from NPPES (entity type 2 with an acupuncture taxonomy), kept by
    import_nppes and published as FHIR Organizations; the directory-version trigger is put
    on the new table, as on every directory table."""

    dependencies = [
        ('directory', '0028_practitioner_bio_language'),
        # The directory-version trigger goes on the new table too (cached answers change).
        ('ops', '0001_directory_version'),
    ]

    operations = [
        migrations.CreateModel(
            name='NppesOrganisation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('npi', models.CharField(max_length=10, unique=True, validators=[credentialing.npi.validate_npi], verbose_name='NPI')),
                ('legal_name', models.CharField(help_text="NPPES's Provider Organization Name (Legal Business Name).", max_length=200)),
                ('address_line_1', models.CharField(blank=True, max_length=200)),
                ('address_line_2', models.CharField(blank=True, max_length=200)),
                ('city', models.CharField(blank=True, max_length=100)),
                ('region', models.CharField(blank=True, max_length=3)),
                ('postal_code', models.CharField(blank=True, max_length=12)),
                ('country', models.CharField(blank=True, max_length=2)),
                ('phone', models.CharField(blank=True, max_length=40)),
                ('taxonomy_codes', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=10), blank=True, default=list, help_text='The acupuncture taxonomy codes (NPPES_TAXONOMY_CODES) its latest row holds.', size=None)),
                ('deactivated_on', models.DateField(blank=True, help_text='NPPES lists the NPI as deactivated from this day (no later reactivation).', null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'NPPES organisation',
                'ordering': ['npi'],
                'constraints': [models.CheckConstraint(condition=models.Q(('npi__regex', '^[0-9]{10}$')), name='directory_nppesorganisation_npi_ten_digits')],
            },
        ),
        migrations.RunPython(attach_triggers, migrations.RunPython.noop),
    ]
