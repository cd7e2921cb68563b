"""Emails queued before sealing existed: the unsent ones with a secret link are sealed now, and the
sent invitations lose their text (a sent email is only a delivery record)."""

from django.db import migrations
from django.db.models import Q

from civicnet.notifications.services import email_seal

SECRET_LINKS = Q(sensitive=True) | Q(template="organisation_invitation")


def seal(apps, schema_editor):
    OutgoingEmail = apps.get_model("notifications", "OutgoingEmail")
    waiting = OutgoingEmail.objects.filter(SECRET_LINKS, sent_at__isnull=True, sealed="").exclude(body_text="")
    for email in waiting.iterator():
        email.sealed = email_seal(text=email.body_text, html=email.body_html)
        email.body_text = email.body_html = ""
        email.sensitive = True
        email.save(update_fields=["sealed", "body_text", "body_html", "sensitive"])
    OutgoingEmail.objects.filter(SECRET_LINKS, sent_at__isnull=False).update(
        body_text="", body_html="", sensitive=True
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_outgoingemail_about")]

    operations = [migrations.RunPython(seal, migrations.RunPython.noop)]
