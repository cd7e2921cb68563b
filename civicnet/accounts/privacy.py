"""A person's own data: all of it to take away, or all of it erased (their contributions stay,
attributed to "former participant")."""

import io
import json
import re
import zipfile

from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicnet.notifications.models import FORMER_PARTICIPANT, EmailPreference, Notification, OutgoingEmail

from .models import Invitation, Membership, Organisation, User


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
        "organisations_created": _rows(
            Organisation.objects.filter(created_by=user), "name", "slug", "kind", "description", "website", "created_at"
        ),
        "invitations_sent": _rows(
            Invitation.objects.filter(invited_by=user),
            "organisation__name",
            "email",
            "role",
            "created_at",
            "sent_at",
            "accepted_at",
        ),
        "invitations_received": _rows(
            Invitation.objects.filter(email__in=_addresses(user)),
            "organisation__name",
            "role",
            "created_at",
            "sent_at",
            "accepted_at",
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


def _addresses(user: User) -> list[str]:
    return sorted({user.email.lower(), *(e.lower() for e in user.emailaddress_set.values_list("email", flat=True))})


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Erase a person. What they posted stays, signed "former participant"; their votes go, and
    every counter they were part of goes down with them. Phase apps clean up through
    `erase_personal_data(user)` on their AppConfig, called first.

    Also erased: the invitations to their addresses (used or not), their name in other people's
    notifications and in the stored text of emails to others, and every email to them. An
    organisation they were the last administrator of goes to the organisers' queue."""
    for config in apps.get_app_configs():
        eraser = getattr(config, "erase_personal_data", None)
        if eraser:
            eraser(user)
    addresses = _addresses(user)
    name = str(user.public_name)
    Invitation.objects.filter(Q(email__in=addresses) | Q(accepted_by=user)).delete()
    OutgoingEmail.objects.filter(Q(recipient=user) | Q(to__in=addresses)).update(
        to="erased@invalid", body_text="", body_html="", sealed="", recipient=None
    )
    _name_erase_from_emails(name)
    for notification in Notification.objects.filter(actor=user).only("pk", "data"):
        data = {key: FORMER_PARTICIPANT if value == name else value for key, value in notification.data.items()}
        if data != notification.data:
            Notification.objects.filter(pk=notification.pk).update(data=data)
    orphaned = list(
        Organisation.objects.filter(memberships__user=user, memberships__role=Membership.Role.ADMIN).exclude(
            pk__in=Membership.objects.filter(role=Membership.Role.ADMIN).exclude(user=user).values("organisation")
        )
    )
    user.delete()
    for organisation in orphaned:
        _organisers_tell_orphaned(organisation)


def _name_erase_from_emails(name: str) -> None:
    """Emails to others that name the person: an unsent one says "former participant" instead,
    in its language; a sent one keeps no text (it is only a delivery record by then)."""
    if len(name) < 2:
        return
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    naming = OutgoingEmail.objects.filter(Q(body_text__contains=name) | Q(body_html__contains=name))
    for email in naming.only("pk", "sent_at", "language", "body_text", "body_html", "subject"):
        if email.sent_at is not None:
            OutgoingEmail.objects.filter(pk=email.pk).update(body_text="", body_html="")
            continue
        with translation.override(email.language):
            former = _("Former participant")
        OutgoingEmail.objects.filter(pk=email.pk).update(
            body_text=pattern.sub(former, email.body_text),
            body_html=pattern.sub(former, email.body_html),
            subject=pattern.sub(former, email.subject),
        )


def _organisers_tell_orphaned(organisation: Organisation) -> None:
    from django.urls import reverse

    from civicnet.notifications.services import notify

    from .services import ORGANISATION_ORPHANED, organisers

    url = reverse("admin:accounts_organisation_changelist") + "?administrators=none"
    for organiser in organisers():
        notify(
            recipient=organiser,
            kind=ORGANISATION_ORPHANED.key,
            target=organisation,
            data={"organisation": organisation.name},
            url=url,
        )


def counters_after_removing_votes(vote_queryset, issue_model) -> None:
    """Lower each issue's vote_count by the votes about to be removed (grouped, one UPDATE each)."""
    for row in vote_queryset.values("issue_id").annotate(n=Count("id")):
        issue_model.objects.filter(pk=row["issue_id"]).update(vote_count=Greatest(F("vote_count") - row["n"], 0))
