"""A person's own data: all of it to take away, or all of it erased (their contributions stay,
attributed to "former participant")."""

import io
import json
import zipfile

from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import Greatest
from django.utils import timezone

from civicnet.notifications.models import EmailPreference, Notification, OutgoingEmail

from .models import Invitation, Membership, User


def _rows(queryset, *fields):
    return [
        {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in row.items()}
        for row in queryset.values(*fields)
    ]


def user_data_export(*, user: User) -> bytes:
    """A zip holding data.json: the profile and everything the person wrote, chose or was sent.

    Phase apps contribute through `export_personal_data(user)` functions found on their
    AppConfig, so the core does not import them.
    """
    data = {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "district": user.district.slug if user.district else None,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": _rows(EmailAddress.objects.filter(user=user), "email", "verified", "primary"),
        "memberships": _rows(Membership.objects.filter(user=user), "organisation__name", "role", "joined_at"),
        "email_preferences": _rows(EmailPreference.objects.filter(user=user), "kind", "frequency"),
        "notifications": _rows(
            Notification.objects.filter(recipient=user), "kind", "data", "url", "created_at", "read_at"
        ),
    }
    for config in apps.get_app_configs():
        exporter = getattr(config, "export_personal_data", None)
        if exporter:
            data[config.label] = exporter(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
    return buffer.getvalue()


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Erase a person. What they posted stays, signed "former participant"; their votes go, and
    every counter they were part of goes down with them. Phase apps clean up through
    `erase_personal_data(user)` on their AppConfig, called first."""
    for config in apps.get_app_configs():
        eraser = getattr(config, "erase_personal_data", None)
        if eraser:
            eraser(user)
    Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True).delete()
    OutgoingEmail.objects.filter(recipient=user).update(to="erased@invalid", body_text="", body_html="", recipient=None)
    user.delete()


def counters_after_removing_votes(vote_queryset, issue_model) -> None:
    """Lower each issue's vote_count by the votes about to be removed (grouped, one UPDATE each)."""
    for row in vote_queryset.values("issue_id").annotate(n=Count("id")):
        issue_model.objects.filter(pk=row["issue_id"]).update(vote_count=Greatest(F("vote_count") - row["n"], 0))
