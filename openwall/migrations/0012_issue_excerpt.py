"""The wall's cards show the first words of each issue: kept as plain text beside the HTML."""

from django.db import migrations, models

from civicnet.markdown import excerpt

BATCH = 2000


def fill_excerpts(apps, schema_editor):
    Issue = apps.get_model("openwall", "Issue")
    rows = Issue.objects.filter(excerpt="").order_by("pk").only("pk", "description_html")
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:BATCH]):
        for issue in batch:
            issue.excerpt = excerpt(issue.description_html)
        Issue.objects.bulk_update(batch, ["excerpt"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("openwall", "0011_rename_events")]

    operations = [
        migrations.AddField(model_name="issue", name="excerpt", field=models.TextField(blank=True, editable=False)),
        migrations.RunPython(fill_excerpts, migrations.RunPython.noop),
    ]
