"""Notify users and send email. Every email of the platform goes through `email_queue`."""

import base64
import hashlib
import json
import logging
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from civicnet.city.models import CityProfile
from civicnet.siteurl import site_url
from civicnet.tasks import enqueue

from . import kinds
from .kinds import Frequency
from .models import EmailPreference, Notification, OutgoingEmail, unread_changed

logger = logging.getLogger(__name__)
MAX_RETRIES = 10  # of one email's sending (civicnet.notifications.tasks.send_email)
UNSUBSCRIBE_SALT = "civicnet.notifications.unsubscribe"


def email_render(*, template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Render templates/emails/<template>.subject.txt, .txt and (optional) .html in `language`."""
    with translation.override(language):
        context = {"site_url": site_url(), "city": CityProfile.current(), "language": language, **context}
        subject = " ".join(render_to_string(f"emails/{template}.subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        try:
            html = render_to_string(f"emails/{template}.html", context)
        except TemplateDoesNotExist:
            html = ""
    return subject, text, html


def _fernet() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    keys = [base64.urlsafe_b64encode(hashlib.sha256(f"civicnet.email.seal:{key}".encode()).digest()) for key in secrets]
    return MultiFernet([Fernet(key) for key in keys])


def email_seal(*, text: str, html: str) -> str:
    """Encrypt a sensitive email's bodies for storage until it is sent (key derived from SECRET_KEY).

    Whoever can read the table (a database dump, the admin) sees no secret link in it."""
    return _fernet().encrypt(json.dumps({"text": text, "html": html}).encode()).decode()


def email_unseal(sealed: str) -> tuple[str, str]:
    try:
        data = json.loads(_fernet().decrypt(sealed.encode()))
    except InvalidToken as exc:  # SECRET_KEY changed without a fallback: the link cannot be sent
        raise ValueError("This email was sealed with a key that is no longer configured.") from exc
    return data["text"], data["html"]


def email_queue(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str,
    recipient=None,
    template: str = "",
    dedupe_key: str | None = None,
    sensitive: bool = False,
    headers: dict | None = None,
    about_id: int | None = None,
) -> OutgoingEmail:
    """Store an email and send it from a Celery task once the current transaction commits.

    With a `dedupe_key` that was queued before, nothing new is stored or sent. The text of a
    `sensitive` email (one with a secret link) is stored encrypted, and erased once it is sent.
    """
    sealed = email_seal(text=body_text, html=body_html) if sensitive else ""
    fields = {
        "to": to,
        "subject": subject[:255],
        "body_text": "" if sensitive else body_text,
        "body_html": "" if sensitive else body_html,
        "sealed": sealed,
        "about_id": about_id,
        "language": language,
        "recipient": recipient,
        "template": template,
        "sensitive": sensitive,
        "headers": headers or {},
    }
    if dedupe_key:
        email, created = OutgoingEmail.objects.get_or_create(dedupe_key=dedupe_key, defaults=fields)
        if not created:
            return email
    else:
        email = OutgoingEmail.objects.create(**fields)

    # With the broker down the row stays unsent and requeue_unsent_emails picks it up later.
    enqueue("notifications.send_email", inline_if_broker_down=False, email_id=email.pk)
    return email


def unsubscribe_url(*, user, kind: str) -> str:
    """A link that turns off one kind of email for one user, without signing in (signed, not secret)."""
    token = signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)
    return site_url() + reverse("notifications:unsubscribe", kwargs={"token": token})


def unsubscribe_token_read(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    from .digest import KIND_ALIASES

    kind = KIND_ALIASES.get(data.get("k"), data.get("k"))
    if kind not in {kind.key for kind in kinds.all_kinds()}:
        return None
    return data["u"], kind


def email_queue_many(emails: list[dict]) -> int:
    """Store many emails in one statement and send each from its task after commit.

    Each dict holds email_queue's fields and must have a `dedupe_key`; emails whose key
    exists already are skipped. Returns how many were queued. Used by digests, where
    thousands go out at once.
    """

    if any(email.get("sensitive") for email in emails):
        raise ValueError("A sensitive email is queued with email_queue, which seals it.")
    keys = [email["dedupe_key"] for email in emails]
    existing = set(OutgoingEmail.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    fresh = [OutgoingEmail(**email) for email in emails if email["dedupe_key"] not in existing]
    OutgoingEmail.objects.bulk_create(fresh, ignore_conflicts=True)  # a concurrent run's rows are skipped
    new_ids = list(
        OutgoingEmail.objects.filter(
            dedupe_key__in=[e.dedupe_key for e in fresh], sent_at__isnull=True, attempts=0
        ).values_list("pk", flat=True)
    )

    for email_id in new_ids:
        enqueue("notifications.send_email", inline_if_broker_down=False, email_id=email_id)
    return len(new_ids)


def email_prepare(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    recipient=None,
    dedupe_key: str | None = None,
    unsubscribe_kind: str | None = None,
    sensitive: bool = False,
    about_id: int | None = None,
) -> dict:
    """Render an email (see email_send_template) into the fields email_queue and email_queue_many take."""
    headers = {}
    if unsubscribe_kind and recipient is not None:
        link = unsubscribe_url(user=recipient, kind=unsubscribe_kind)
        context = {**context, "unsubscribe_url": link}
        headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    subject, text, html = email_render(template=template, context=context, language=language)
    return {
        "to": to,
        "subject": subject[:255],
        "body_text": text,
        "body_html": html,
        "language": language,
        "recipient": recipient,
        "template": template,
        "dedupe_key": dedupe_key,
        "headers": headers,
        "sensitive": sensitive,
        "about_id": about_id,
    }


def email_send_template(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    recipient=None,
    dedupe_key: str | None = None,
    unsubscribe_kind: str | None = None,
    sensitive: bool = False,
    about_id: int | None = None,
) -> OutgoingEmail:
    """Render an email from templates/emails/ in the recipient's language and queue it.

    With `unsubscribe_kind`, the email carries a one-click unsubscribe link for that kind
    (in the text, and as List-Unsubscribe headers for mail clients, RFC 8058). A `sensitive`
    one (a secret link) is stored encrypted until sent (see email_queue).
    """
    return email_queue(
        **email_prepare(
            to=to,
            template=template,
            context=context,
            language=language,
            recipient=recipient,
            dedupe_key=dedupe_key,
            unsubscribe_kind=unsubscribe_kind,
            sensitive=sensitive,
            about_id=about_id,
        )
    )


def email_deliver(*, email_id: int) -> bool:
    """Send one queued email unless it was sent already. Returns whether it sent.

    The row stays locked while the message goes out and `sent_at` is stamped in the same
    transaction, so two workers cannot both send it and a retry or redelivery after it was
    recorded sends nothing. The one duplicate SMTP leaves possible: the process dies after the
    server accepted the message and before the commit. A failure is recorded on the row and
    raised again for the task to retry.
    """
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
            if email is None or email.sent_at is not None:
                return False
            body_text, body_html = email_unseal(email.sealed) if email.sealed else (email.body_text, email.body_html)
            message = EmailMultiAlternatives(
                subject=email.subject,
                body=body_text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email.to],
                headers={"Content-Language": email.language, **email.headers},
            )
            if body_html:
                message.attach_alternative(body_html, "text/html")
            message.send()
            email.sent_at = timezone.now()
            email.attempts = F("attempts") + 1
            email.last_error = ""
            fields = ["sent_at", "attempts", "last_error"]
            if email.sensitive:
                email.body_text = email.body_html = email.sealed = ""
                fields += ["body_text", "body_html", "sealed"]
            email.save(update_fields=fields)
    except Exception as exc:
        OutgoingEmail.objects.filter(pk=email_id).update(attempts=F("attempts") + 1, last_error=repr(exc)[:2000])
        logger.warning("Email %s not sent: %r", email_id, exc)
        raise
    return True


def email_frequency(*, user, kind: str) -> str:
    preference = EmailPreference.objects.filter(user=user, kind=kind).values_list("frequency", flat=True).first()
    return preference or kinds.get(kind).default_frequency


def email_preferences_set(*, user, frequencies: dict[str, str]) -> None:
    """Save the user's choice per kind; a choice equal to the kind's default removes the row."""
    with transaction.atomic():
        for key, frequency in frequencies.items():
            kind = kinds.get(key)
            if frequency == kind.default_frequency:
                EmailPreference.objects.filter(user=user, kind=key).delete()
            else:
                EmailPreference.objects.update_or_create(user=user, kind=key, defaults={"frequency": frequency})


def notify(
    *,
    recipient,
    kind: str,
    actor=None,
    actor_id: int | None = None,
    target=None,
    data: dict | None = None,
    url: str = "",
    email_template: str | None = None,
    email_context: dict | None = None,
    dedupe_key: str | None = None,
) -> Notification:
    """Tell `recipient` about something: always in the app, by email if they want it now.

    Side effects: creates a Notification; when the recipient's preference for `kind` is
    "immediately" and an `email_template` is given, queues an email in their language.
    Weekly-digest kinds are gathered later by the digest task from the notifications.
    """
    email_template = email_template or kinds.get(kind).email_template  # KeyError: nobody registered `kind`
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        actor_id=actor.pk if actor is not None else actor_id,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        data=data or {},
        url=url,
    )
    unread_changed(recipient.pk)
    if email_template and recipient.is_active and email_frequency(user=recipient, kind=kind) == Frequency.IMMEDIATELY:
        email_send_template(
            to=recipient.email,
            template=email_template,
            context={"recipient": recipient, "notification": notification, **(email_context or {})},
            language=recipient.language,
            recipient=recipient,
            # A caller's key makes a retried fan-out send each person one email, not two.
            dedupe_key=f"{dedupe_key}:{recipient.pk}" if dedupe_key else f"notification:{notification.pk}",
            about_id=notification.actor_id,
        )
    return notification


def notifications_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all, or those ids); returns how many changed."""
    unread = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    changed = unread.update(read_at=timezone.now())
    unread_changed(user.pk)
    return changed


def emails_requeue_unsent(*, older_than=None) -> int:
    """Queue again every email still unsent a few minutes after it was queued (the broker was
    down, or a worker died). Sending is idempotent, so one queued twice still goes out once."""
    cutoff = timezone.now() - (older_than if older_than is not None else timedelta(minutes=3))
    ids = list(
        OutgoingEmail.objects.filter(
            sent_at__isnull=True, created_at__lt=cutoff, attempts__lte=MAX_RETRIES
        ).values_list("pk", flat=True)[:5000]
    )
    for email_id in ids:
        enqueue("notifications.send_email", inline_if_broker_down=False, email_id=email_id)
    return len(ids)
