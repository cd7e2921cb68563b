"""Fill the excerpt of the issues raised before 0012, a batch per transaction: the issue table is
not locked for the whole backfill (100,000 issues take about a minute)."""

from django.db import migrations

from civicnet.markdown import excerpt

BATCH = 1000


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
    atomic = False
    dependencies = [("openwall", "0012_issue_excerpt")]

    operations = [migrations.RunPython(fill_excerpts, migrations.RunPython.noop)]
