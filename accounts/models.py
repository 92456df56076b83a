from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class EmailUserManager(UserManager):
    """Users are identified by email; there is no username."""

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email: str):
        return self.get(email__iexact=email)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)
    # The language of the pages this person last used (a code from settings.LANGUAGES), so
    # the emails we send them later, outside any request, are in it too. Empty: the default.
    language = models.CharField(max_length=16, blank=True, default="")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email


class ReminderKind(models.TextChoices):
    CREDENTIAL_EXPIRY = "credential_expiry", "Credential expires"
    DETAILS = "details", "Profile details need confirming"
    ACCEPTING = "accepting", "New-patient status needs confirming"


class SentReminder(models.Model):
    """One reminder email that went out, so a daily run never sends it twice. A reminder
    is identified by what lapses (`kind`, and the credential's public id for expiries),
    the date it lapses, and how many days ahead the reminder was due."""

    practitioner = models.ForeignKey(
        "directory.Practitioner", on_delete=models.CASCADE, related_name="sent_reminders"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    subject = models.UUIDField(
        null=True, blank=True, help_text="The credential's public id, for expiry reminders."
    )
    lapses_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "kind", "subject", "lapses_on", "days_before"],
                nulls_distinct=False,
                name="accounts_reminder_sent_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.lapses_on} ({self.days_before} days ahead)"
