"""The weekly digest: one email per person gathering what happened to the issues they follow."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from civicnet.notifications.kinds import Frequency
from civicnet.notifications.models import EmailPreference, Notification, OutgoingEmail
from civicnet.notifications.services import email_prepare, email_queue_many

from .models import Comment, Follow, Issue, IssueEvent, Vote
from .notifications import DIGEST

BATCH = 500


@dataclass
class IssueNews:
    issue: Issue
    comments: int = 0
    votes: int = 0
    statuses: list[str] = field(default_factory=list)
    answered: bool = False


def week_key(moment) -> str:
    year, week, _day = timezone.localtime(moment).isocalendar()
    return f"{year}-W{week:02d}"


def _counts(model, issue_ids, since, until, **filters) -> dict[int, int]:
    rows = (
        model.objects.filter(issue_id__in=issue_ids, created_at__gte=since, created_at__lt=until, **filters)
        .values("issue_id")
        .annotate(n=Count("id"))
        .values_list("issue_id", "n")
    )
    return dict(rows)


def _news_by_issue(issue_ids, since, until) -> dict[int, IssueNews]:
    """What happened to these issues in the window: a handful of grouped queries, whatever the number of readers."""
    comments = _counts(Comment, issue_ids, since, until, removed=False, hidden=False)
    votes = _counts(Vote, issue_ids, since, until)
    events = IssueEvent.objects.filter(
        issue_id__in=issue_ids,
        created_at__gte=since,
        created_at__lt=until,
        kind__in=[IssueEvent.Kind.STATUS, IssueEvent.Kind.OFFICIAL_ANSWER],
    ).values_list("issue_id", "kind", "new_status")
    active = set(comments) | set(votes) | {issue_id for issue_id, _kind, _status in events}
    issues = Issue.objects.public().filter(pk__in=active).only("pk", "title", "status")
    news = {
        issue.pk: IssueNews(issue=issue, comments=comments.get(issue.pk, 0), votes=votes.get(issue.pk, 0))
        for issue in issues
    }
    for issue_id, kind, status in events:
        if issue_id in news:
            if kind == IssueEvent.Kind.STATUS:
                news[issue_id].statuses.append(Issue.Status(status).label)
            else:
                news[issue_id].answered = True
    return news


def digest_send_all(*, now=None) -> int:
    """Queue this week's digest for everyone who follows an issue with news. Returns how many were queued.

    Safe to run twice: each digest has a per-person, per-week key, and people who already
    have this week's are skipped before anything is rendered.
    """
    now = now or timezone.now()
    since, week = now - timedelta(days=7), week_key(now)
    opted_out = EmailPreference.objects.filter(kind=DIGEST.key, frequency=Frequency.NEVER).values("user_id")
    weekly_kinds = defaultdict(set)  # user id -> kinds they asked to get weekly
    for user_id, kind in (
        EmailPreference.objects.filter(frequency=Frequency.WEEKLY)
        .exclude(kind=DIGEST.key)
        .values_list("user_id", "kind")
    ):
        weekly_kinds[user_id].add(kind)
    # Followers who did not turn the digest off, and anyone who asked for some kind weekly (their
    # weekly notifications come in the digest even if they follow nothing).
    readers = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(follows__isnull=False) & ~Q(pk__in=opted_out) | Q(pk__in=list(weekly_kinds)))
        .distinct()
        .order_by("pk")
    )
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
        follows = defaultdict(list)
        for user_id, issue_id in Follow.objects.filter(user__in=batch).values_list("user_id", "issue_id"):
            follows[user_id].append(issue_id)
        news = _news_by_issue({i for ids in follows.values() for i in ids}, since, now)
        notes = defaultdict(list)
        for notification in Notification.objects.filter(
            recipient__in=[u for u in batch if weekly_kinds.get(u.pk)], created_at__gte=since, created_at__lt=now
        ).order_by("created_at"):
            if notification.kind in weekly_kinds[notification.recipient_id]:
                notes[notification.recipient_id].append(notification)
        emails = []
        for user in batch:
            items = [] if user.pk in opted_out_ids else [news[i] for i in follows[user.pk] if i in news]
            if not items and not notes[user.pk]:
                continue  # no news, no email
            items.sort(key=lambda item: (-item.answered, -len(item.statuses), -item.comments, -item.votes))
            emails.append(
                email_prepare(
                    to=user.email,
                    template="openwall_digest",
                    context={
                        "recipient": user,
                        "items": items[:20],
                        "more": max(0, len(items) - 20),
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
