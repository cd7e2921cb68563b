"""An issue's story is open to later phases: any app registers a kind of step with its label,
template and notification, and adds steps through one service."""

import pytest
from django.urls import reverse

from civicnet.notifications.models import Notification
from openwall import services, story
from openwall.models import IssueEvent
from tests.factories import IssueFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def later_phase_kind(settings, tmp_path, monkeypatch):
    """A kind of step as a later phase (here a made-up "calls") would register it."""
    (tmp_path / "calls" / "story").mkdir(parents=True)
    (tmp_path / "calls" / "story" / "opened.html").write_text(
        'A call for projects answers it: <a href="/calls/{{ step.target.slug }}/">{{ step.target.name }}</a>'
        " ({{ step.data.proposals }} proposals)"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    kind = story.StepKind(
        key="calls.opened",
        label="A call answers it",
        template="calls/story/opened.html",
        notify="openwall.official_answer",
    )
    monkeypatch.setitem(story._kinds, kind.key, kind)
    return kind


def test_a_later_phase_adds_a_step_that_points_at_its_own_object(
    client, city, later_phase_kind, django_capture_on_commit_callbacks
):
    author = UserFactory()
    issue = services.issue_create(
        author=author,
        title="Bins overflow",
        description="Every weekend, on the square.",
        topic=IssueFactory().topic,
        language="en",
    )
    follower = UserFactory()
    services.follow_ensure(user=follower, issue=issue)
    call = OrganisationFactory(name="Cleaner streets call", slug="cleaner-streets")  # any model will do
    with django_capture_on_commit_callbacks(execute=True):  # followers are told from a task after commit
        step = services.issue_story_add(issue=issue, kind="calls.opened", target=call, data={"proposals": 4})
    assert IssueEvent.objects.get(pk=step.pk).target == call
    page = client.get(issue.get_absolute_url()).content.decode()
    assert (
        'A call for projects answers it: <a href="/calls/cleaner-streets/">Cleaner streets call</a> (4 proposals)'
        in page
    )
    assert "Raised on the Open Wall." in page  # the Open Wall's own steps render through the same registry
    told = Notification.objects.get(recipient=follower)
    assert told.kind == "openwall.official_answer"
    assert issue.title in told.text


def test_an_unregistered_kind_is_refused():
    with pytest.raises(ValueError, match=r"Unknown story step kind 'calls\.nothing'"):
        services.issue_story_add(issue=IssueFactory(), kind="calls.nothing")


def test_a_kind_without_its_template_fails_the_check(monkeypatch):
    kind = story.StepKind(key="calls.lost", label="Lost", template="calls/story/lost.html", notify="nope.nope")
    monkeypatch.setitem(story._kinds, kind.key, kind)
    assert sorted(e.id for e in story.check_kinds()) == ["openwall.E101", "openwall.E102"]
    monkeypatch.delitem(story._kinds, kind.key)
    assert story.check_kinds() == []


def test_the_admin_shows_steps_by_their_translated_label(client, city, organiser, settings):
    from datetime import timedelta

    from django.utils import timezone

    from openwall.models import CommunityEvent

    issue = IssueFactory()
    now = timezone.now()
    meetup = CommunityEvent.objects.create(
        title="Meetup",
        starts_at=now,
        ends_at=now + timedelta(hours=2),
        address="Rue Haute 1",
        host=OrganisationFactory(),
    )
    services.tally_set(facilitator=organiser, event=meetup, issue=issue, votes=7)
    organiser.preferred_language = "fr"
    organiser.save()
    client.force_login(organiser)
    page = client.get(reverse("admin:openwall_issue_change", args=[issue.pk])).content.decode()
    assert "paper_votes" not in page
    assert "Votes papier comptés lors d\u2019une rencontre" in page
