import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.urls import reverse

from openwall import services
from openwall.models import Follow, Issue, Vote
from tests.factories import IssueFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_vote_toggles_and_counts(client, citizen, city):
    issue = IssueFactory()
    client.force_login(citizen)
    url = reverse("openwall:vote", args=[issue.pk])
    response = client.post(url, {"next": "/wall/"})
    assert response["Location"] == "/wall/"
    issue.refresh_from_db()
    assert issue.vote_count == 1
    assert Follow.objects.filter(user=citizen, issue=issue).exists()
    client.post(url)
    issue.refresh_from_db()
    assert issue.vote_count == 0
    assert not Vote.objects.exists()


def test_vote_with_htmx_returns_the_new_button(client, citizen, city):
    issue = IssueFactory(offline_vote_count=12)
    client.force_login(citizen)
    response = client.post(reverse("openwall:vote", args=[issue.pk]), headers={"hx-request": "true"})
    html = response.content.decode()
    assert f'<span class="vote-count" data-live="votes:{issue.pk}">13</span>' in html
    assert 'aria-pressed="true"' in html
    assert "incl. 12 at meetups" in html
    assert "<html" not in html


def test_vote_needs_post_and_sign_in(client, city):
    issue = IssueFactory()
    url = reverse("openwall:vote", args=[issue.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Issue.objects.get().vote_count == 0


def test_closed_or_hidden_issues_take_no_votes(client, citizen, city):
    closed = IssueFactory(status="closed", close_reason="duplicate")
    hidden = IssueFactory(hidden=True)
    client.force_login(citizen)
    assert client.post(reverse("openwall:vote", args=[closed.pk])).status_code == 403
    assert client.post(reverse("openwall:vote", args=[hidden.pk])).status_code == 404
    assert not Vote.objects.exists()


def test_open_redirect_is_refused(client, citizen, city):
    issue = IssueFactory()
    client.force_login(citizen)
    response = client.post(reverse("openwall:vote", args=[issue.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == issue.get_absolute_url()


def test_voting_is_rate_limited(client, citizen, city, settings):
    settings.CIVICNET_RATE_LIMITS = {**settings.CIVICNET_RATE_LIMITS, "vote": "3/m"}
    issue = IssueFactory()
    client.force_login(citizen)
    url = reverse("openwall:vote", args=[issue.pk])
    statuses = [client.post(url).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert Issue.objects.get().vote_count == 1  # voted, unvoted, voted; the fourth was refused


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_voting_keeps_the_count_exact():
    """Many threads vote and unvote at once; the counter always equals the rows, one vote per person."""
    issue = IssueFactory()
    users = [UserFactory() for _ in range(12)]
    barrier = threading.Barrier(len(users) * 2)
    errors = []

    def hammer(user, toggles):
        try:
            barrier.wait(timeout=30)
            for _ in range(toggles):
                services.vote_toggle(user=user, issue=issue)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    # Each user has two threads, like two open tabs clicking at once.
    threads = [threading.Thread(target=hammer, args=(user, n)) for user in users for n in (7, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    issue.refresh_from_db()
    rows = Vote.objects.filter(issue=issue).count()
    assert issue.vote_count == rows
    assert Vote.objects.filter(issue=issue).values("user").distinct().count() == rows


def test_trend_score_weighs_recent_votes_and_decays(city):
    from datetime import timedelta

    from django.utils import timezone

    issue = IssueFactory()
    now = timezone.now()
    for age in (timedelta(hours=2), timedelta(days=2), timedelta(days=5), timedelta(days=9)):
        Vote.objects.create(issue=issue, user=UserFactory(), created_at=now - age)
    services.trending_refresh(now=now)
    issue.refresh_from_db()
    assert issue.trend_score == 4 + 2 + 1  # the nine-day-old vote no longer counts
    services.trending_refresh(now=now + timedelta(days=8))
    issue.refresh_from_db()
    assert issue.trend_score == 0


def test_a_vote_moves_the_trend_score_at_once(city, citizen):
    issue = IssueFactory()
    services.vote_toggle(user=citizen, issue=issue)
    issue.refresh_from_db()
    assert issue.trend_score == 4
    services.vote_toggle(user=citizen, issue=issue)
    issue.refresh_from_db()
    assert issue.trend_score == 0


def test_a_double_click_on_vote_counts_once_and_never_cancels(client, city, citizen):
    issue = IssueFactory()
    client.force_login(citizen)
    url = reverse("openwall:vote", args=[issue.pk])
    for _ in range(2):  # the second click lands before the page shows "Voted"
        assert client.post(url, {"action": "vote"}, headers={"HX-Request": "true"}).status_code == 200
    issue.refresh_from_db()
    assert issue.vote_count == 1
    assert Vote.objects.filter(issue=issue, user=citizen).count() == 1
    response = client.post(url, {"action": "unvote"}, headers={"HX-Request": "true"})
    assert 'name="action" value="vote"' in response.content.decode()
    for _ in range(2):
        client.post(url, {"action": "unvote"})
    issue.refresh_from_db()
    assert issue.vote_count == 0


def _synchronous_commit() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_only_the_votes_own_transaction_skips_waiting_for_the_disk(settings):
    """A vote alone commits without waiting for the disk; the connection's later writes, and a
    caller's larger transaction, still wait (openwall/services/votes.py)."""
    from django.db import transaction

    issue, voter = IssueFactory(), UserFactory()
    assert services.vote_toggle(user=voter, issue=issue) is True
    assert _synchronous_commit() == "on"  # the next transaction on this connection waits again
    with transaction.atomic():
        assert services.vote_toggle(user=voter, issue=issue) is False
        assert _synchronous_commit() == "on"  # the caller's transaction keeps its choice
    assert (Issue.objects.get(pk=issue.pk).vote_count, Vote.objects.count()) == (0, 0)
    assert services.vote_set(user=voter, issue=issue, voted=True) is True
    assert (Issue.objects.get(pk=issue.pk).vote_count, issue.vote_count + issue.offline_vote_count) == (1, 1)


def test_a_second_click_shows_the_count_as_it_is_now_and_a_gone_issue_takes_no_vote(city, citizen, other_citizen):
    issue = IssueFactory()
    stale = Issue.objects.get(pk=issue.pk)  # loaded before others voted, as a request would have
    services.vote_set(user=other_citizen, issue=issue, voted=True)
    services.vote_set(user=citizen, issue=issue, voted=True)
    assert services.vote_set(user=citizen, issue=stale, voted=True) is True  # a double click: nothing changes
    assert (stale.vote_count, stale.offline_vote_count) == (2, 0)  # the button shows both votes
    Issue.objects.filter(pk=issue.pk).delete()
    assert services.vote_set(user=citizen, issue=stale, voted=False) is False
    with pytest.raises(ValidationError, match="no longer takes votes"):
        services.vote_toggle(user=citizen, issue=stale)
