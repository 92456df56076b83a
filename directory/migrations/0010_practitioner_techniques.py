from django.db import migrations


class Migration(migrations.Migration):
    """The site, the API and the filters say "technique"; so does the model now. The
    many-to-many table becomes directory_practitioner_techniques, rows unchanged."""

    dependencies = [("directory", "0009_credentials_moved_to_credentialing")]

    operations = [
        migrations.RenameField(model_name="practitioner", old_name="modalities", new_name="techniques"),
    ]
