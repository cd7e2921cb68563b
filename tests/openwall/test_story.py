"""An issue's story is open to later phases: any app registers a kind of step with its label,
template and notification, and adds steps through one service."""

import pytest
from django.urls import reverse

from civicnet.notifications.models import Notification
from openwall import services, story
from openwall.models import StoryStep
from tests.factories import IssueFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def later_phase_kind(settings, tmp_path, monkeypatch):
    """A kind of step as a later phase (a made-up one, "laterphase") would register it."""
    (tmp_path / "laterphase" / "story").mkdir(parents=True)
    (tmp_path / "laterphase" / "story" / "opened.html").write_text(
        'A call for projects answers it: <a href="/calls/{{ step.target.slug }}/">{{ step.target.name }}</a>'
        " ({{ step.data.proposals }} proposals)"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    kind = story.StepKind(
        key="laterphase.opened",
        label="A call answers it",
        template="laterphase/story/opened.html",
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
        step = services.issue_story_add(issue=issue, kind="laterphase.opened", target=call, data={"proposals": 4})
    assert StoryStep.objects.get(pk=step.pk).target == call
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

    from openwall.models import Meetup

    issue = IssueFactory()
    now = timezone.now()
    meetup = Meetup.objects.create(
        title="Meetup",
        starts_at=now,
        ends_at=now + timedelta(hours=2),
        address="Rue Haute 1",
        host=OrganisationFactory(),
    )
    services.tally_set(facilitator=organiser, meetup=meetup, issue=issue, votes=7)
    organiser.preferred_language = "fr"
    organiser.save()
    client.force_login(organiser)
    page = client.get(reverse("admin:openwall_issue_change", args=[issue.pk])).content.decode()
    assert "paper_votes" not in page
    assert "Votes papier comptés lors d\u2019une rencontre" in page


@pytest.mark.parametrize("steps", [1, 3])
def test_the_story_costs_the_same_queries_whatever_its_length(
    client, city, organiser, django_assert_num_queries, steps
):
    from datetime import timedelta

    from django.utils import timezone

    from openwall.models import Meetup

    issue = IssueFactory()
    now = timezone.now()
    for n in range(steps):  # each step points at a meetup (its target)
        meetup = Meetup.objects.create(
            title=f"Meetup {n}",
            starts_at=now,
            ends_at=now + timedelta(hours=2),
            address="Rue Haute 1",
            host=OrganisationFactory(),
        )
        services.tally_set(facilitator=organiser, meetup=meetup, issue=issue, votes=n + 1)
    client.force_login(UserFactory())
    with django_assert_num_queries(QUERIES_ISSUE_PAGE):
        response = client.get(issue.get_absolute_url())
    assert response.content.decode().count("Paper votes counted at a meetup") == steps


# Signed in, first visit: session, user, the shared shell (issue, steps, their targets, comments…),
# then the person's own parts (votes, follows, unread count). The counts the render just read are
# served as they are, not read again.
QUERIES_ISSUE_PAGE = 11


def test_a_step_whose_target_is_gone_still_renders(client, city, later_phase_kind):
    issue = IssueFactory()
    call = OrganisationFactory(name="Closed call", slug="closed-call")
    services.issue_story_add(issue=issue, kind="laterphase.opened", target=call, data={"proposals": 2})
    call.delete()
    response = client.get(issue.get_absolute_url())
    assert response.status_code == 200
    assert "A call for projects answers it" in response.content.decode()


def test_a_kind_that_is_not_public_shows_to_organisers_only(client, city, organiser, monkeypatch):
    kind = story.StepKind(
        key="laterphase.review", label="Reviewed", template="openwall/story/_unknown.html", public=False
    )
    monkeypatch.setitem(story._kinds, kind.key, kind)
    issue = IssueFactory()
    services.issue_story_add(issue=issue, kind="laterphase.review", note="Scored 4.2 by three reviewers")
    assert "Scored 4.2" not in client.get(issue.get_absolute_url()).content.decode()
    client.force_login(organiser)
    assert "Scored 4.2" in client.get(issue.get_absolute_url()).content.decode()


def test_a_kind_key_longer_than_its_column_fails_the_check(monkeypatch):
    kind = story.StepKind(key="calls." + "x" * 40, label="Long", template="openwall/story/_unknown.html")
    monkeypatch.setitem(story._kinds, kind.key, kind)
    assert [e.id for e in story.check_kinds()] == ["openwall.E103"]


def test_an_official_answer_keeps_no_name_in_its_step(city, organiser):
    issue = IssueFactory()
    services.comment_create(author=organiser, issue=issue, body="We are on it.", official=True)
    step = issue.story_steps.get(kind="official_answer")
    assert organiser.public_name not in str(step.data)
