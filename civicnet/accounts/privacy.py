"""A person's own data: all of it to take away, or all of it erased (their contributions stay,
attributed to "former participant")."""

import io
import json
import re
import zipfile

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicnet import phases
from civicnet.notifications.models import FORMER_PARTICIPANT, EmailPreference, Notification, OutgoingEmail
from civicnet.notifications.services import email_seal, email_unseal

from .models import Invitation, Membership, Organisation, User
from .services import ORGANISATION_ORPHANED, organisers_notify


def _rows(queryset, *fields):
    return [
        {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in row.items()}
        for row in queryset.values(*fields)
    ]


def user_data_export(*, user: User) -> bytes:
    """A zip holding data.json: the profile and everything the person wrote, chose or was sent.

    Phase apps contribute their own tables (civicnet.phases: `export_personal_data`), so the core
    does not import them.
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
    data |= phases.personal_data_export(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
    return buffer.getvalue()


def _addresses(user: User) -> list[str]:
    return sorted({user.email.lower(), *(e.lower() for e in user.emailaddress_set.values_list("email", flat=True))})


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Erase a person. What they posted stays, signed "former participant"; their votes go, and
    every counter they were part of goes down with them. Phase apps erase their own tables first
    (civicnet.phases: `erase_personal_data`).

    Also erased: the invitations to their addresses (used or not), their name in other people's
    notifications and in the stored text of emails to others, and every email to them. An
    organisation they were the last administrator of goes to the organisers' queue."""
    phases.personal_data_erase(user)
    addresses = _addresses(user)
    name = str(user.public_name)
    Invitation.objects.filter(Q(email__in=addresses) | Q(accepted_by=user)).delete()
    OutgoingEmail.objects.filter(Q(recipient=user) | Q(to__in=addresses)).update(
        to="erased@invalid", body_text="", body_html="", sealed="", recipient=None
    )
    _name_erase_from_emails(user, name)
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


def _name_erase_from_emails(user: User, name: str) -> None:
    """Emails to others that tell of something the person did (their `about`): an unsent one says
    "former participant" instead of their name, in its language; a sent one keeps no text (it is
    only a delivery record by then). Only those emails: a name is also an ordinary word."""
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    for email in OutgoingEmail.objects.filter(about=user):
        if email.sent_at is not None:
            OutgoingEmail.objects.filter(pk=email.pk).update(body_text="", body_html="", sealed="")
            continue
        with translation.override(email.language):
            former = _("Former participant")
        if email.sealed:
            text, html = email_unseal(email.sealed)
            sealed = email_seal(text=pattern.sub(former, text), html=pattern.sub(former, html))
            OutgoingEmail.objects.filter(pk=email.pk).update(sealed=sealed)
        else:
            OutgoingEmail.objects.filter(pk=email.pk).update(
                body_text=pattern.sub(former, email.body_text), body_html=pattern.sub(former, email.body_html)
            )


def _organisers_tell_orphaned(organisation: Organisation) -> None:
    organisers_notify(
        kind=ORGANISATION_ORPHANED.key,
        target=organisation,
        data={"organisation": organisation.name},
        url=reverse("admin:accounts_organisation_changelist") + "?administrators=none",
    )
