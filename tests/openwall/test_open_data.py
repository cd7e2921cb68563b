import csv
import io
import json

import pytest
from django.urls import reverse

from civicnet.city.models import Topic
from openwall import services
from openwall.models import Issue
from tests.factories import IssueFactory, UserFactory

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_csv_has_public_data_only_and_is_formula_safe(client, city):
    author = UserFactory(email="private@example.org", display_name="Secret Name")
    IssueFactory(title='=HYPERLINK("http://evil")', author=author, vote_count=3, offline_vote_count=2)
    IssueFactory(title="Hidden one", hidden=True)
    response = client.get(reverse("openwall:export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = _body(response)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert [row["title"] for row in rows] == ['\'=HYPERLINK("http://evil")']
    assert rows[0]["votes"] == "3"
    assert rows[0]["offline_votes"] == "2"
    assert rows[0]["url"].endswith(f"/wall/{Issue.objects.get(hidden=False).pk}/")
    assert "private@example.org" not in body
    assert "Secret Name" not in body


def test_json_follows_the_list_filters(client, city):
    IssueFactory(title="Heat in schools", topic=Topic.objects.get(slug="education"))
    IssueFactory(title="Potholes", topic=Topic.objects.get(slug="urbanism"))
    data = json.loads(_body(client.get(reverse("openwall:export_json"), {"topic": "education"})))
    assert data["licence"] == "CC0-1.0"
    assert [issue["title"] for issue in data["issues"]] == ["Heat in schools"]
    assert data["issues"][0]["topic"] == "education"


def test_topic_atom_feed(client, city):
    IssueFactory(title="Potholes on <b>Avenue</b>", topic=Topic.objects.get(slug="urbanism"))
    IssueFactory(title="Elsewhere", topic=Topic.objects.get(slug="culture"))
    response = client.get(reverse("openwall:topic_feed", args=["urbanism"]))
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "Potholes on &lt;b&gt;Avenue&lt;/b&gt;" in xml
    assert "Elsewhere" not in xml


@pytest.mark.parametrize("count", [1, 30])
def test_exports_query_budget(client, city, django_assert_max_num_queries, count):
    IssueFactory.create_batch(count)
    with django_assert_max_num_queries(3):
        assert _body(client.get(reverse("openwall:export_json"))).count('"id"') == count
    with django_assert_max_num_queries(3):
        assert client.get(reverse("openwall:topic_feed", args=["urbanism"])).content.count(b"<entry>") == min(count, 30)


def test_board_is_for_organisers(client, city, citizen, organiser):
    client.force_login(citizen)
    assert client.get(reverse("openwall:board")).status_code == 403
    issue = IssueFactory()
    assert client.post(reverse("openwall:prioritise", args=[issue.pk])).status_code == 403
    assert Issue.objects.get(pk=issue.pk).status == "open"


def test_board_lists_top_per_theme_and_prioritises_in_one_click(client, city, organiser):
    urbanism, culture = Topic.objects.get(slug="urbanism"), Topic.objects.get(slug="culture")
    for n in range(7):
        IssueFactory(title=f"Urbanism {n}", topic=urbanism, vote_count=n)
    IssueFactory(title="Culture 0", topic=culture, vote_count=1, offline_vote_count=50)
    client.force_login(organiser)
    response = client.get(reverse("openwall:board"))
    per_topic = {topic.slug: [i.title for i in issues] for topic, issues in response.context["per_topic"].items()}
    assert per_topic == {"urbanism": [f"Urbanism {n}" for n in (6, 5, 4, 3, 2)], "culture": ["Culture 0"]}
    assert response.context["overall"][0].title == "Culture 0"
    top = response.context["overall"][0]
    response = client.post(reverse("openwall:prioritise", args=[top.pk]), headers={"hx-request": "true"})
    assert "Prioritised" in response.content.decode()
    assert Issue.objects.get(pk=top.pk).status == "prioritised"


@pytest.mark.parametrize("count", [1, 30])
def test_board_query_budget(client, city, organiser, django_assert_max_num_queries, count):
    topics = list(Topic.objects.all())
    for n in range(count):
        IssueFactory(topic=topics[n % len(topics)], vote_count=n)
    client.force_login(organiser)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("openwall:board"))
    assert len(response.context["overall"]) == min(count, 20)
    assert sum(len(issues) for issues in response.context["per_topic"].values()) == sum(
        min(5, len(range(t, count, len(topics)))) for t in range(len(topics))
    )


def test_poster_has_a_local_qr_code(client, city):
    issue = IssueFactory(title="Dark canal path")
    response = client.get(reverse("openwall:poster", args=[issue.pk]))
    html = response.content.decode()
    assert "Dark canal path" in html
    assert f'src="/wall/{issue.pk}/qr.svg"' in html
    assert "http://" not in html.replace(f"http://127.0.0.1:8000/wall/{issue.pk}/", "")
    svg = client.get(reverse("openwall:qr_code", args=[issue.pk]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    assert b"<script" not in svg.content


def test_poster_of_a_hidden_issue_is_404(client, city):
    issue = IssueFactory(hidden=True)
    assert client.get(reverse("openwall:poster", args=[issue.pk])).status_code == 404
    assert client.get(reverse("openwall:qr_code", args=[issue.pk])).status_code == 404


def test_prioritising_asks_first_and_can_be_undone_before_followers_are_told(
    client, city, organiser, monkeypatch, django_capture_on_commit_callbacks
):
    from openwall.tasks import notify_followers

    follower = UserFactory()
    top = IssueFactory(title="Safer crossings near schools", vote_count=40)
    services.follow_ensure(user=follower, issue=top)
    queued = []
    monkeypatch.setattr(notify_followers, "apply_async", lambda **options: queued.append(options))
    client.force_login(organiser)
    board = client.get(reverse("openwall:board")).content.decode()
    assert "Prioritise…" in board
    assert "Its followers will be told that the network will work on it. You can undo this for a minute." in board
    url = reverse("openwall:prioritise", args=[top.pk])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, headers={"hx-request": "true"}).content.decode()
    assert "is prioritised. Its followers will be told in a minute." in answer
    assert answer.count("✓</span> Prioritised") == 2  # overall and under its theme
    assert "Undo" in answer and "Prioritise…" not in answer
    # The followers' task waits out the minute in which the change may be undone.
    assert [options["countdown"] for options in queued] == [services.PRIORITISE_UNDO_SECONDS]
    step_id = queued[0]["kwargs"]["step_id"]
    undo = client.post(reverse("openwall:prioritise_undo", args=[top.pk]), headers={"hx-request": "true"})
    assert "Undone: “Safer crossings near schools” is back to “Open”." in undo.content.decode()
    assert "Prioritise…" in undo.content.decode()
    top.refresh_from_db()
    assert top.status == "open"
    assert not top.story_steps.filter(kind="status").exists()
    # When the waiting task runs, the step is gone: nobody is told.
    assert notify_followers.run(**queued[0]["kwargs"]) == 0
    assert not follower.notifications.exists()
    assert step_id


def test_a_prioritisation_older_than_the_minute_cannot_be_undone(client, city, organiser):
    from datetime import timedelta

    from django.utils import timezone

    from openwall.models import StoryStep

    top = IssueFactory(title="Old decision")
    services.issue_prioritise(issue=top, by=organiser)
    StoryStep.objects.filter(issue=top).update(created_at=timezone.now() - timedelta(minutes=2))
    Issue.objects.filter(pk=top.pk).update(updated_at=timezone.now() - timedelta(minutes=2))
    client.force_login(organiser)
    assert "Undo" not in client.get(reverse("openwall:board")).content.decode()
    response = client.post(reverse("openwall:prioritise_undo", args=[top.pk]), follow=True)
    assert "This can no longer be undone: its followers have been told." in response.content.decode()
    assert Issue.objects.get(pk=top.pk).status == "prioritised"


def test_once_followers_were_told_the_undo_is_refused(client, city, organiser, django_capture_on_commit_callbacks):
    """With no broker the followers' task runs at once: the board must not pretend otherwise."""
    follower = UserFactory()
    top = IssueFactory(title="Told already")
    services.follow_ensure(user=follower, issue=top)
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):  # tasks run eagerly here, like a broker down
        client.post(reverse("openwall:prioritise", args=[top.pk]))
    assert follower.notifications.count() == 1
    response = client.post(reverse("openwall:prioritise_undo", args=[top.pk]), follow=True)
    assert "This can no longer be undone: its followers have been told." in response.content.decode()
    assert Issue.objects.get(pk=top.pk).status == "prioritised"


def test_only_an_open_issue_is_prioritised_from_the_board(client, city, organiser):
    closed = IssueFactory(status="closed", close_reason="duplicate")
    client.force_login(organiser)
    response = client.post(reverse("openwall:prioritise", args=[closed.pk]), follow=True)
    assert "Only an open issue on the board can be prioritised here." in response.content.decode()
    assert Issue.objects.get(pk=closed.pk).close_reason == "duplicate"
