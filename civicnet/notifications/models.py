from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicnet.cache import delete_on_commit

from . import kinds
from .kinds import Frequency

# Stands in Notification.data for the name of someone who has deleted their account.
FORMER_PARTICIPANT = "__former_participant__"


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something that happened which a user should hear about, shown in the app."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.text

    @property
    def verb(self):
        return kinds.get(self.kind).message

    @property
    def text(self) -> str:
        """The message in the active language, filled from the data captured when it was sent."""
        kind = kinds.get(self.kind)
        former = str(_("Former participant"))
        data = {key: former if value == FORMER_PARTICIPANT else value for key, value in self.data.items()}
        try:
            data = kind.prepare(data) if kind.prepare else data
            return str(kind.message) % data
        except (KeyError, TypeError, ValueError):
            return str(self.verb)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailPreference(models.Model):
    """How a user wants email for one kind of notification; no row means the kind's default."""

    class Choice(models.TextChoices):
        IMMEDIATELY = Frequency.IMMEDIATELY, _("Immediately")
        WEEKLY = Frequency.WEEKLY, _("In the weekly digest")
        NEVER = Frequency.NEVER, _("Never")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(max_length=64)
    frequency = models.CharField(_("email"), max_length=16, choices=Choice.choices)

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="emailpreference_unique")]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.frequency}"


class OutgoingEmail(models.Model):
    """One email, rendered when it was queued and sent by one Celery task.

    The row is the delivery record: the task locks it, sends, and stamps `sent_at` in the
    same transaction, so a retried or redelivered task never sends the same email twice.
    `dedupe_key` lets a caller ask for an email at most once (a weekly digest, say).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to = models.EmailField(_("to"))
    # The person whose action the email tells of (a reply's author, an inviter): their name is in
    # its text, and leaves it when they delete their account.
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8)
    template = models.CharField(_("template"), max_length=120, blank=True)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "Carries a secret link (sign-in, password reset, invitation): the text is kept encrypted "
            "until it is sent, then erased."
        ),
    )
    # A sensitive email's text and HTML, encrypted (services.email_seal) until sent; body_* stay empty.
    sealed = models.TextField(blank=True, editable=False)
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self):
        return f"{self.subject} → {self.to}"


# The unread count every signed-in page shows in its account menu, kept in the cache so that a
# stored page costs no query for it (civicnet.personal reads it with the page). Dropped when a
# notification is added or read, once that commits; kept at most a minute (an admin edit).
UNREAD_SECONDS = 60


def unread_key(user_id) -> str:
    return f"unread:{user_id}"


def unread_count(user, known: dict | None = None) -> int:
    """How many notifications `user` has not read. `known`: cache values already read (with
    the page); a key missing there is not asked of the cache again."""
    key = unread_key(user.pk)
    count = known.get(key) if known is not None else cache.get(key)
    if not isinstance(count, int):
        count = Notification.objects.for_user(user).unread().count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def unread_changed(user_id) -> None:
    delete_on_commit(unread_key(user_id))
