"""The weekly digest moved from the Open Wall to the core (civicnet/notifications/digest.py):
people's choices and the beat row follow it."""

from django.db import migrations

OLD_KIND, NEW_KIND = "openwall.digest", "notifications.digest"
OLD_TASK, NEW_TASK = "openwall.send_weekly_digests", "notifications.send_weekly_digests"


def forwards(apps, schema_editor):
    EmailPreference = apps.get_model("notifications", "EmailPreference")
    Notification = apps.get_model("notifications", "Notification")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    EmailPreference.objects.filter(kind=OLD_KIND).update(kind=NEW_KIND)
    Notification.objects.filter(kind=OLD_KIND).update(kind=NEW_KIND)
    for row in PeriodicTask.objects.filter(task=OLD_TASK):
        row.task = NEW_TASK
        if row.name == "Open Wall weekly digest" and not PeriodicTask.objects.filter(name="Weekly digest").exists():
            row.name = "Weekly digest"
        row.save(update_fields=["task", "name"])


def backwards(apps, schema_editor):
    apps.get_model("notifications", "EmailPreference").objects.filter(kind=NEW_KIND).update(kind=OLD_KIND)
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=NEW_TASK).update(task=OLD_TASK)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0006_seal_waiting_secret_links"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
