"""The numbers cached pages fill in when they are served (PhaseConfig.live_counts)."""

from django.db.models import F

from .models import Issue


def votes(pks: list[int]) -> dict[int, int]:
    """Each issue's total, online and at meetups, as its vote button shows it: one query for a page."""
    return dict(Issue.objects.filter(pk__in=pks).values_list("pk", F("vote_count") + F("offline_vote_count")))
