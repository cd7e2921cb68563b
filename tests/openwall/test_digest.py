import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from civicnet.notifications.digest import digest_send_all
from civicnet.notifications.models import EmailPreference, OutgoingEmail
from civicnet.notifications.tasks import send_weekly_digests
from openwall import services
from tests.factories import IssueFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_week(city, organiser):
    """Amina (French) follows two issues; one got comments, votes and a new status this week."""
    amina = UserFactory(display_name="Amina", preferred_language="fr")
    quiet, busy = IssueFactory(title="Quiet issue"), IssueFactory(title="Busy issue")
    for issue in (quiet, busy):
        services.follow_ensure(user=amina, issue=issue)
    for n in range(3):
        services.comment_create(author=UserFactory(), issue=busy, body=f"Comment {n}")
    services.vote_toggle(user=UserFactory(), issue=busy)
    services.issue_status_set(issue=busy, by=organiser, status="prioritised")
    mail.outbox.clear()
    return amina


def _send(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return digest_send_all(**kwargs)


def test_digest_gathers_the_week_in_the_readers_language(busy_week, django_capture_on_commit_callbacks):
    _send(django_capture_on_commit_callbacks)
    digests = [m for m in mail.outbox if m.to == [busy_week.email]]
    assert len(digests) == 1
    message = digests[0]
    assert message.subject == "Réseau d\u2019innovation civique cette semaine : du neuf sur 1 sujet que vous suivez"
    assert "Busy issue" in message.body
    assert "Quiet issue" not in message.body
    assert "3 nouveaux commentaires" in message.body
    assert "Nouveau statut : Priorisé" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_digest_goes_once_per_week_even_if_the_task_runs_twice(busy_week, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = send_weekly_digests.apply().get()
        second = send_weekly_digests.apply().get()
    busy = busy_week.follows.get(issue__title="Busy issue").issue
    assert first == busy.follows.count()  # Amina, the commenters and the voter: all follow it
    assert second == 0
    assert len([m for m in mail.outbox if m.to == [busy_week.email]]) == 1
    next_week = timezone.now() + timedelta(days=7)
    services.comment_create(author=UserFactory(), issue=busy_week.follows.last().issue, body="Later")
    from openwall.models import Comment

    Comment.objects.filter(body="Later").update(created_at=next_week - timedelta(days=1))
    _send(django_capture_on_commit_callbacks, now=next_week)
    assert len([m for m in mail.outbox if m.to == [busy_week.email]]) == 2


def test_no_news_no_email(city, django_capture_on_commit_callbacks):
    reader = UserFactory()
    issue = IssueFactory(created_at=timezone.now() - timedelta(days=30))
    services.follow_ensure(user=reader, issue=issue)
    assert _send(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_unsubscribe_in_one_click_without_signing_in(client, busy_week, django_capture_on_commit_callbacks):
    _send(django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == [busy_week.email])
    link = re.search(r"https?://\S+(/notifications/unsubscribe/\S+/)", message.body).group(1)
    page = client.get(link)
    assert page.status_code == 200
    assert not EmailPreference.objects.filter(user=busy_week).exists()  # looking changes nothing
    client.post(link)
    assert EmailPreference.objects.get(user=busy_week, kind="notifications.digest").frequency == "never"
    OutgoingEmail.objects.all().delete()
    mail.outbox.clear()
    _send(django_capture_on_commit_callbacks)
    assert not [m for m in mail.outbox if m.to == [busy_week.email]]


def test_mail_client_one_click_post_needs_no_csrf(busy_week, django_capture_on_commit_callbacks):
    from django.test import Client

    _send(django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == [busy_week.email])
    link = re.search(r"<https?://[^/]+(/[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    response = Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert EmailPreference.objects.get(user=busy_week, kind="notifications.digest").frequency == "never"


def test_tampered_unsubscribe_link_is_refused(client, busy_week):
    response = client.post(reverse("notifications:unsubscribe", args=["eyJ1IjoxfQ:forged:sig"]))
    assert response.status_code == 400
    assert not EmailPreference.objects.exists()


def test_weekly_preference_moves_notifications_into_the_digest(city, organiser, django_capture_on_commit_callbacks):
    reader = UserFactory(display_name="Reader")
    EmailPreference.objects.create(user=reader, kind="openwall.status_changed", frequency="weekly")
    issue = IssueFactory(title="Potholes")
    services.follow_ensure(user=reader, issue=issue)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_status_set(issue=issue, by=organiser, status="prioritised")
    assert not [m for m in mail.outbox if m.to == [reader.email]]  # not immediately
    _send(django_capture_on_commit_callbacks)
    digest = next(m for m in mail.outbox if m.to == [reader.email])
    assert "“Potholes” is now: Prioritised." in digest.body


@pytest.mark.parametrize("readers", [1, 30])
def test_digest_queries_do_not_grow_with_readers(city, organiser, django_assert_max_num_queries, readers):
    issue = IssueFactory()
    services.comment_create(author=UserFactory(), issue=issue, body="News")
    for user in UserFactory.create_batch(readers):
        services.follow_ensure(user=user, issue=issue)
    with django_assert_max_num_queries(15):  # the calls section's among them
        assert digest_send_all() == readers + 2  # the author and the commenter follow too


def test_weekly_notifications_reach_people_who_follow_nothing(city, organiser, django_capture_on_commit_callbacks):
    from civicnet.notifications.models import Notification

    reader = UserFactory()
    EmailPreference.objects.create(user=reader, kind="organisation.verified", frequency="weekly")
    Notification.objects.create(recipient=reader, kind="organisation.verified", data={"organisation": "Fablab"})
    assert _send(django_capture_on_commit_callbacks) == 1
    assert "Fablab is now verified by the organisers." in mail.outbox[0].body
