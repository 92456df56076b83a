from django.db import migrations


class Migration(migrations.Migration):
    """License, Certification and VerificationEvent now belong to credentialing; their
    tables (directory_license, directory_certification, directory_verificationevent),
    triggers and rows stay exactly as they are."""

    dependencies = [
        ("accounts", "0003_profileclaim_moved_to_credentialing"),
        ("credentialing", "0001_initial"),
        ("directory", "0008_listing_days"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="verificationevent", name="certification"),
                migrations.RemoveField(model_name="verificationevent", name="license"),
                migrations.RemoveField(model_name="verificationevent", name="actor"),
                migrations.RemoveField(model_name="license", name="practitioner"),
                migrations.RemoveField(model_name="certification", name="practitioner"),
                migrations.DeleteModel(name="VerificationEvent"),
                migrations.DeleteModel(name="License"),
                migrations.DeleteModel(name="Certification"),
            ]
        ),
    ]
