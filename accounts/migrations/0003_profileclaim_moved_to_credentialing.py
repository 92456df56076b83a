from django.db import migrations


class Migration(migrations.Migration):
    """ProfileClaim now belongs to credentialing; its table (accounts_profileclaim) stays."""

    dependencies = [
        ("accounts", "0002_claims_and_reminders"),
        ("credentialing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ProfileClaim")]
        ),
    ]
