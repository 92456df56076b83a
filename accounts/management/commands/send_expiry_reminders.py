from __future__ import annotations

from django.core.management.base import BaseCommand

from accounts.models import ReminderKind
from accounts.reminders import send_due_reminders

NAMES = {
    ReminderKind.CREDENTIAL_EXPIRY: "credential expiry",
    ReminderKind.DETAILS: "profile confirmation",
    ReminderKind.ACCEPTING: "new-patient status",
}


class Command(BaseCommand):
    help = (
        "Email practitioners before a license or certification expires (60, 30 and 7 days "
        "ahead) and before their profile confirmation (180 days) or new-patient status "
        "(90 days) lapses (14 and 3 days ahead). Safe to run daily from cron: a reminder "
        "already sent is never sent again."
    )

    def handle(self, *args, **options) -> None:
        counts = send_due_reminders()
        sent = sum(counts[kind] for kind in ReminderKind)
        detail = ", ".join(f"{counts[kind]} {NAMES[kind]}" for kind in ReminderKind)
        self.stdout.write(
            f"Sent {sent} reminder{'s' if sent != 1 else ''} ({detail}); "
            f"{counts['already sent']} already sent before."
        )
