"""The calls' section of the weekly digest (civicnet/notifications/digest.py): the calls opened,
and the projects accepted, this week for the issues a person follows."""

from collections import defaultdict

from django.urls import reverse

from civicnet.notifications.digest import DigestSection
from openwall.models import Follow, StoryStep

MOST = 10
KINDS = {"calls.opened": "calls:detail", "calls.accepted": "calls:proposal_detail"}


def _readers():
    return Follow.objects.values("user_id")


def _news(users, since, until) -> dict[int, dict]:
    """Two queries whatever the number of readers: their follows, then the week's call steps."""
    follows = defaultdict(set)
    for user_id, issue_id in Follow.objects.filter(user__in=users).values_list("user_id", "issue_id"):
        follows[user_id].add(issue_id)
    steps = defaultdict(list)
    rows = (
        StoryStep.objects.filter(
            issue_id__in={i for ids in follows.values() for i in ids},
            issue__hidden=False,
            issue__merged_into__isnull=True,
            kind__in=list(KINDS),
            created_at__gte=since,
            created_at__lt=until,
        )
        .order_by("created_at", "id")
        .values_list("issue_id", "issue__title", "kind", "target_id", "data")
    )
    for issue_id, title, kind, target_id, data in rows:
        url = reverse(KINDS[kind], args=[target_id]) if target_id else ""
        steps[issue_id].append({"kind": kind.split(".")[1], "issue": title, "url": url, **data})
    found = {}
    for user_id, issue_ids in follows.items():
        items = [item for issue_id in sorted(issue_ids) for item in steps.get(issue_id, [])]
        if items:
            found[user_id] = {"items": items[:MOST], "more": max(0, len(items) - MOST)}
    return found


SECTION = DigestSection(key="calls", readers=_readers, news=_news, template="emails/digest/calls")
