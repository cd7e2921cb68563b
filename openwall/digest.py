"""The Open Wall's section of the weekly digest (civicnet/notifications/digest.py): what happened
this week to the issues a person follows."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from civicnet.notifications.digest import DigestSection

from .models import Comment, Follow, Issue, StoryStep, Vote

MOST = 20  # issues shown per person; the rest are counted


@dataclass
class IssueNews:
    issue: Issue
    comments: int = 0
    votes: int = 0
    statuses: list[str] = field(default_factory=list)
    answered: bool = False


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
    steps = StoryStep.objects.filter(
        issue_id__in=issue_ids,
        created_at__gte=since,
        created_at__lt=until,
        kind__in=[StoryStep.Kind.STATUS, StoryStep.Kind.OFFICIAL_ANSWER],
    ).values_list("issue_id", "kind", "new_status")
    active = set(comments) | set(votes) | {issue_id for issue_id, _kind, _status in steps}
    issues = Issue.objects.public().filter(pk__in=active).only("pk", "title", "status")
    news = {
        issue.pk: IssueNews(issue=issue, comments=comments.get(issue.pk, 0), votes=votes.get(issue.pk, 0))
        for issue in issues
    }
    for issue_id, kind, status in steps:
        if issue_id in news:
            if kind == StoryStep.Kind.STATUS:
                news[issue_id].statuses.append(Issue.Status(status).label)
            else:
                news[issue_id].answered = True
    return news


def _readers():
    return Follow.objects.values("user_id")


def _news(users, since, until) -> dict[int, dict]:
    follows = defaultdict(list)
    for user_id, issue_id in Follow.objects.filter(user__in=users).values_list("user_id", "issue_id"):
        follows[user_id].append(issue_id)
    news = _news_by_issue({i for ids in follows.values() for i in ids}, since, until)
    found = {}
    for user_id, issue_ids in follows.items():
        items = [news[i] for i in issue_ids if i in news]
        if items:
            items.sort(key=lambda item: (-item.answered, -len(item.statuses), -item.comments, -item.votes))
            found[user_id] = {"items": items[:MOST], "more": max(0, len(items) - MOST)}
    return found


SECTION = DigestSection(key="openwall", readers=_readers, news=_news, template="emails/digest/openwall")
