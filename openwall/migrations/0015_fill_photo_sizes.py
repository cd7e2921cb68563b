"""Make the thumbnails of the photos uploaded before 0014, a batch per transaction. A photo whose
file is missing or unreadable keeps no sizes: its page shows the original, its card no thumbnail."""

from django.db import migrations

from civicnet.uploads import thumbnails_make

BATCH = 200


def fill_photo_sizes(apps, schema_editor):
    Issue = apps.get_model("openwall", "Issue")
    storage = Issue._meta.get_field("photo").storage
    rows = Issue.objects.exclude(photo="").filter(photo_sizes=[]).order_by("pk").only("pk", "photo")
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:BATCH]):
        for issue in batch:
            try:
                issue.photo_sizes = thumbnails_make(storage, issue.photo.name)
            except (OSError, ValueError):
                issue.photo_sizes = []
        Issue.objects.bulk_update(batch, ["photo_sizes"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("openwall", "0014_issue_photo_sizes")]

    operations = [migrations.RunPython(fill_photo_sizes, migrations.RunPython.noop)]
