"""The wall's cards show the first words of each issue, kept as plain text beside the HTML (filled
for existing issues by 0013)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("openwall", "0011_rename_events")]

    operations = [
        migrations.AddField(model_name="issue", name="excerpt", field=models.TextField(blank=True, editable=False)),
    ]
