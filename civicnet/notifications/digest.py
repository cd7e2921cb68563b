"""The weekly digest: one email per person, built from the sections that phase apps contribute.

Each phase app declares its sections (civicnet.phases: `digest_sections`, dotted paths to
`DigestSection`s). A section says who may have news in it (`readers`) and what the news is for a
batch of people (`news`), and brings two partial templates (`<template>.txt` and `.html`) that
render its part of the email. The core gathers the sections in the cycle's order, adds the
notifications people asked to get weekly, and sends one email per person and week. It never
reads a phase app's tables.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from . import kinds
from .kinds import Frequency
from .models import EmailPreference, Notification, OutgoingEmail
from .services import email_prepare, email_queue_many

BATCH = 500

DIGEST = kinds.register(
    kinds.Kind(
        key="notifications.digest",
        label=_("A weekly summary of what you follow"),
        message=_("Your weekly summary of what you follow."),
        default_frequency=Frequency.WEEKLY,
        frequencies=(Frequency.WEEKLY, Frequency.NEVER),
    )
)
# The key the Open Wall gave it before the digest moved here: links in emails already sent carry it.
KIND_ALIASES = {"openwall.digest": DIGEST.key}


@dataclass(frozen=True)
class DigestSection:
    key: str
    # The people who may have news in this section: a queryset of user ids.
    readers: Callable[[], object]
    # (users, since, until) -> {user id: {"items": [...], "more": int}} for those with news only.
    news: Callable[[list, object, object], dict[int, dict]]
    template: str  # "emails/digest/<app>": its .txt and .html partials get `news`


@dataclass
class _Section:
    key: str
    template_txt: str
    template_html: str
    news: dict = field(default_factory=dict)


def sections() -> list[DigestSection]:
    from civicnet import phases

    return [import_string(path) for config in phases.phases() for path in config.digest_sections]


def week_key(moment) -> str:
    year, week, _day = timezone.localtime(moment).isocalendar()
    return f"{year}-W{week:02d}"


def digest_send_all(*, now=None) -> int:
    """Queue this week's digest for everyone with news in some section, or with notifications they
    asked to get weekly. Returns how many were queued.

    Safe to run twice: each digest has a per-person, per-week key, and people who already have
    this week's are skipped before anything is rendered. Queries grow with the number of
    sections and batches of 500 people, not with the number of people.
    """
    now = now or timezone.now()
    since, week = now - timedelta(days=7), week_key(now)
    contributed = sections()
    opted_out = EmailPreference.objects.filter(kind=DIGEST.key, frequency=Frequency.NEVER).values("user_id")
    weekly_kinds = defaultdict(set)  # user id -> kinds they asked to get weekly
    for user_id, kind in (
        EmailPreference.objects.filter(frequency=Frequency.WEEKLY)
        .exclude(kind=DIGEST.key)
        .values_list("user_id", "kind")
    ):
        weekly_kinds[user_id].add(kind)
    # People who may have news and did not turn the digest off, and anyone who asked for some kind
    # weekly (their weekly notifications come in the digest even with no news in any section).
    wanted = Q(pk__in=list(weekly_kinds))
    if contributed:
        may_have_news = Q(pk__in=contributed[0].readers())
        for section in contributed[1:]:
            may_have_news |= Q(pk__in=section.readers())
        wanted |= may_have_news & ~Q(pk__in=opted_out)
    readers = get_user_model().objects.filter(is_active=True).filter(wanted).distinct().order_by("pk")
    opted_out_ids = set(opted_out.values_list("user_id", flat=True))
    queued, last_pk = 0, 0
    while True:
        batch = list(readers.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return queued
        last_pk = batch[-1].pk
        keys = {user.pk: f"digest:{user.pk}:{week}" for user in batch}
        done = set(OutgoingEmail.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
        batch = [user for user in batch if keys[user.pk] not in done]
        wanting = [user for user in batch if user.pk not in opted_out_ids]
        news = [(section, section.news(wanting, since, now) if wanting else {}) for section in contributed]
        notes = _weekly_notifications(batch, weekly_kinds, since, now)
        emails = []
        for user in batch:
            parts = [
                _Section(section.key, f"{section.template}.txt", f"{section.template}.html", found[user.pk])
                for section, found in news
                if user.pk in found
            ]
            if not parts and not notes[user.pk]:
                continue  # no news, no email
            emails.append(
                email_prepare(
                    to=user.email,
                    template="digest",
                    context={
                        "recipient": user,
                        "sections": parts,
                        "count": sum(len(part.news["items"]) + part.news.get("more", 0) for part in parts),
                        "notifications": notes[user.pk],
                        "week": week,
                    },
                    language=user.language,
                    recipient=user,
                    dedupe_key=keys[user.pk],
                    unsubscribe_kind=DIGEST.key,
                )
            )
        if emails:
            queued += email_queue_many(emails)


def _weekly_notifications(batch, weekly_kinds, since, until) -> dict[int, list]:
    notes = defaultdict(list)
    asking = [user for user in batch if weekly_kinds.get(user.pk)]
    if not asking:
        return notes
    for notification in Notification.objects.filter(
        recipient__in=asking, created_at__gte=since, created_at__lt=until
    ).order_by("created_at"):
        if notification.kind in weekly_kinds[notification.recipient_id]:
            notes[notification.recipient_id].append(notification)
    return notes
