"""seed_scale: exact counts and counters, one vote per user and issue, the same data for the same seed, reuse."""

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F
from django.utils import timezone

from civicnet.accounts.models import User
from civicnet.city.models import District, Topic
from civicnet.markdown import markdown_render
from openwall import services
from openwall.management.commands.seed_scale import SCALE_EMAIL_SUFFIX
from openwall.models import Comment, Issue, StoryStep, Vote
from tests import factories

pytestmark = pytest.mark.django_db

SIZES = {"issues": 200, "votes": 3000, "comments": 500, "users": 300}


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_scale", **{**SIZES, **options}, stdout=out)
    return out.getvalue()


def scale_issues():
    return Issue.objects.filter(author__email__endswith=SCALE_EMAIL_SUFFIX)


def snapshot() -> list[tuple]:
    """What a given seed decides, independent of primary keys (which differ from one run to the next)."""
    return list(
        scale_issues()
        .order_by("pk")
        .values_list("title", "description", "language", "topic__slug", "vote_count", "comment_count")
    )


def test_creates_the_requested_rows_with_exact_counters():
    assert not Topic.objects.exists()

    output = seed()

    assert "Loaded the brussels city pack." in output
    assert User.objects.filter(email__endswith=SCALE_EMAIL_SUFFIX).count() == 300
    assert scale_issues().count() == 200
    assert Vote.objects.count() == 3000
    assert Comment.objects.count() == 500
    assert StoryStep.objects.filter(kind=StoryStep.Kind.RAISED).count() == 200
    assert not Issue.objects.annotate(n=Count("story_steps")).exclude(n=1).exists()
    # The denormalised counters equal the rows, for every issue.
    counted = Issue.objects.annotate(votes_n=Count("votes", distinct=True), comments_n=Count("comments", distinct=True))
    for issue in counted:
        assert (issue.vote_count, issue.comment_count) == (issue.votes_n, issue.comments_n), issue.pk
    # One vote per user and issue (the constraint held), and nobody votes for their own issue.
    assert not Vote.objects.values("issue", "user").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert not Vote.objects.filter(user=F("issue__author")).exists()


def test_the_data_looks_like_a_real_wall():
    seed()

    issues = list(scale_issues().order_by("-vote_count"))
    counts = [issue.vote_count for issue in issues]
    assert counts[0] >= 10 * counts[len(counts) // 2]  # skewed popularity: a few issues get most votes
    assert {issue.topic_id for issue in issues} == set(Topic.objects.values_list("pk", flat=True))
    assert {issue.district_id for issue in issues} >= set(District.objects.values_list("pk", flat=True))
    assert {issue.language for issue in issues} == {"fr", "nl", "en"}
    # Stored as the site would store it: through the product's Markdown renderer, not a copy of it.
    assert all(issue.description_html == markdown_render(issue.description) for issue in issues)
    assert any("\n\n" in issue.description and "</p>\n<p>" in issue.description_html for issue in issues)
    assert not Vote.objects.filter(created_at__lt=F("issue__created_at")).exists()
    # Replies: about one in ten, to an earlier top-level comment of the same issue.
    replies = Comment.objects.filter(parent__isnull=False).select_related("parent")
    assert 20 <= replies.count() <= 80
    for reply in replies:
        assert reply.parent.issue_id == reply.issue_id
        assert reply.parent.parent_id is None
        assert reply.parent.created_at <= reply.created_at
    assert not User.objects.filter(email__endswith=SCALE_EMAIL_SUFFIX).first().has_usable_password()


def test_trend_scores_are_what_the_app_computes(city):
    now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=now):
        seed()
    before = dict(scale_issues().values_list("pk", "trend_score"))
    assert sum(1 for score in before.values() if score) >= 5  # "trending" has something to show

    services.trending_refresh(now=now)

    assert dict(scale_issues().values_list("pk", "trend_score")) == before


def test_same_seed_same_data_and_another_seed_other_data(city):
    seed()
    first = snapshot()

    assert "Deleted the previous scale data" in seed(force=True)
    assert snapshot() == first
    assert Vote.objects.count() == 3000

    seed(force=True, seed=2)
    assert [row[0] for row in snapshot()] != [row[0] for row in first]


def test_a_second_run_reuses_the_data(city):
    seed()
    issues = set(scale_issues().values_list("pk", flat=True))
    votes, comments = Vote.objects.count(), Comment.objects.count()

    output = seed()

    assert "nothing to do" in output
    assert set(scale_issues().values_list("pk", flat=True)) == issues
    assert (Vote.objects.count(), Comment.objects.count()) == (votes, comments)


def test_more_issues_than_there_are_replaces_the_scale_data(city):
    seed(issues=50, votes=500, comments=100, users=100)

    output = seed()

    assert "replacing it" in output
    assert scale_issues().count() == 200
    assert User.objects.filter(email__endswith=SCALE_EMAIL_SUFFIX).count() == 300


def test_an_interrupted_run_is_not_reused(city):
    seed()
    Comment.objects.filter(parent__isnull=False).delete()  # as if the run had stopped before the replies

    output = seed()

    assert "incomplete" in output
    assert Comment.objects.count() == 500


def test_force_deletes_only_the_scale_data(city):
    seed()
    citizen = factories.UserFactory()
    issue = services.issue_create(
        author=citizen, title="Un vrai problème", description="Vrai.", topic=Topic.objects.first(), language="fr"
    )
    voter = User.objects.filter(email__endswith=SCALE_EMAIL_SUFFIX).first()
    services.vote_toggle(user=citizen, issue=issue)
    services.vote_toggle(user=voter, issue=issue)
    issue.refresh_from_db()
    assert issue.vote_count == 2

    seed(force=True)

    issue.refresh_from_db()
    assert User.objects.filter(pk=citizen.pk).exists()
    assert issue.vote_count == 1 == issue.votes.count()  # the scale user's vote went, and the counter with it
    assert scale_issues().count() == 200
    assert Vote.objects.count() == 3000 + 1


def test_refuses_more_votes_than_users_can_cast(city):
    with pytest.raises(CommandError, match="do not fit"):
        seed(issues=2, users=3, votes=5)
