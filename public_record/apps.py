from django.apps import AppConfig


class PublicRecordConfig(AppConfig):
    """Reads the public files (NPPES, board rosters, the LEIE, the NPI Registry, the drop
    folder) and applies them to practitioners and credentials. It has no models: what the
    files found is kept in credentialing, where the pages that show it read it."""

    name = "public_record"
    default_auto_field = "django.db.models.BigAutoField"
