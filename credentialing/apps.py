from django.apps import AppConfig


class CredentialingConfig(AppConfig):
    name = "credentialing"
    default_auto_field = "django.db.models.BigAutoField"
