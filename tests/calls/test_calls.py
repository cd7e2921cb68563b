"""Calls for projects: opened from the admin on the wall's issues, shown to everyone."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from calls.models import Call
from calls.services import call_open
from civicnet.notifications.models import Notification
from openwall import services as wall_services
from openwall.models import Issue, StoryStep
from tests.conftest import superuser_login
from tests.factories import CallFactory, IssueFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_opening_a_call_puts_its_issues_in_it_and_tells_their_followers(
    city, organiser, django_capture_on_commit_callbacks
):
    prioritised = IssueFactory(title="Dark underpass", status=Issue.Status.PRIORITISED)
    resolved = IssueFactory(title="Broken bench", status=Issue.Status.RESOLVED)
    follower = UserFactory(display_name="Follower")
    wall_services.follow_ensure(user=follower, issue=prioritised)
    call = CallFactory(title="Light for the underpasses", issues=[prioritised, resolved])
    with django_capture_on_commit_callbacks(execute=True):
        call_open(call=call, by=organiser)
    call.refresh_from_db()
    assert (call.state, call.opened_at is not None) == (Call.State.OPEN, True)
    prioritised.refresh_from_db()
    resolved.refresh_from_db()
    assert (prioritised.status, resolved.status) == (Issue.Status.IN_CALL, Issue.Status.RESOLVED)
    step = StoryStep.objects.get(issue=prioritised, kind="calls.opened")
    assert (step.target, step.old_status, step.new_status) == (call, "prioritised", "in_call")
    assert StoryStep.objects.get(issue=resolved, kind="calls.opened").new_status == ""  # named, not moved
    told = Notification.objects.get(recipient=follower, kind="calls.opened")
    assert told.text == "A call for projects answers “Dark underpass”: Light for the underpasses."
    assert not Notification.objects.filter(recipient=organiser, kind="calls.opened").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"state": Call.State.OPEN}, "Only a draft call can be opened; this one is Open."),
        ({"closes_at": timezone.now() - timedelta(hours=1)}, "The closing date has passed"),
    ],
    ids=["not a draft", "closing date passed"],
)
def test_a_call_that_cannot_open_says_why_and_changes_nothing(city, organiser, change, message):
    issue = IssueFactory(status=Issue.Status.PRIORITISED)
    call = CallFactory(issues=[issue], opens_at=timezone.now() - timedelta(days=30))
    Call.objects.filter(pk=call.pk).update(**change)
    with pytest.raises(ValidationError) as excinfo:
        call_open(call=call, by=organiser)
    assert excinfo.value.messages[0].startswith(message)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PRIORITISED
    assert not StoryStep.objects.filter(kind="calls.opened").exists()


def test_a_call_needs_an_issue_and_a_criterion(city, organiser):
    call = CallFactory(criteria=[])
    call.criteria.all().delete()
    with pytest.raises(ValidationError) as excinfo:
        call_open(call=call, by=organiser)
    assert excinfo.value.messages == [
        "Link at least one issue of the Open Wall: a call answers what citizens asked for.",
        "Add at least one evaluation criterion: proposals are scored on them.",
    ]
    assert Call.objects.get(pk=call.pk).state == Call.State.DRAFT


def _opened(**fields):
    call = CallFactory(issues=[IssueFactory()], **fields)
    Call.objects.filter(pk=call.pk).update(state=Call.State.OPEN)
    return call


def test_the_list_puts_open_calls_first_then_those_opening_soon_then_past_ones(client, city, organiser):
    now = timezone.now()
    _opened(title="Open one")
    _opened(title="Later one", opens_at=now + timedelta(days=10), closes_at=now + timedelta(days=40))
    _opened(title="Ended one", opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=10))
    CallFactory(title="Secret draft")
    page = client.get(reverse("calls:list")).content.decode()
    assert page.index("Open one") < page.index("Opening soon") < page.index("Later one")
    assert page.index("Later one") < page.index("Past calls") < page.index("Ended one")
    assert "Secret draft" not in page
    client.force_login(organiser)
    assert "Secret draft" in client.get(reverse("calls:list")).content.decode()  # organisers see their drafts


def test_an_empty_list_says_so(client, city):
    assert "No call is open right now." in client.get(reverse("calls:list")).content.decode()


def test_the_call_page_shows_what_citizens_asked_for_and_how_proposals_are_scored(client, city, organiser):
    issue = IssueFactory(title="Flooded cellars")
    Issue.objects.filter(pk=issue.pk).update(vote_count=41, offline_vote_count=3)
    call = CallFactory(
        title="Dry feet",
        issues=[issue],
        criteria=["Answers the issue", "Feasible"],
        rewards=[Call.Reward.FUNDING, Call.Reward.PILOT_SITE],
        rewards_detail="Up to €10,000.",
        closes_at=timezone.now() + timedelta(days=12, hours=1),
    )
    call_open(call=call, by=organiser)
    page = client.get(call.get_absolute_url()).content.decode()
    assert f'<a href="{issue.get_absolute_url()}">Flooded cellars</a> <span class="muted">· 44 votes</span>' in page
    assert page.index("Answers the issue") < page.index("Feasible")
    assert "Open: closes in 1" in page  # "1 week, 5 days": the countdown
    assert '<span class="tag">Funding</span> <span class="tag">A pilot site</span>' in page
    assert f'<a class="button" href="/calls/{call.pk}/propose/">Write a proposal</a>' in page


def test_a_draft_is_the_organisers_until_it_opens(client, city, citizen, organiser):
    draft = CallFactory(title="Not yet", issues=[IssueFactory()])
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(citizen)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(organiser)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "A draft: only organisers see this page until the call is opened." in page


def test_the_issue_page_tells_its_call_in_its_story(client, city, organiser):
    issue = IssueFactory(status=Issue.Status.PRIORITISED)
    call = CallFactory(title="Cool schoolyards", issues=[issue])
    call_open(call=call, by=organiser)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "A call for projects answers it: Cool schoolyards." in page
    assert f'<a href="{call.get_absolute_url()}">See the call</a>' in page


def test_organisers_open_calls_from_the_admin_and_read_why_one_cannot(client, city):
    ready = CallFactory(title="Ready", issues=[IssueFactory()])
    empty = CallFactory(title="Empty")
    user = superuser_login(client)
    response = client.post(
        reverse("admin:calls_call_changelist"),
        {"action": "open_calls", "_selected_action": [ready.pk, empty.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 call opened." in page
    assert "Empty: Link at least one issue of the Open Wall" in page
    assert Call.objects.get(pk=ready.pk).state == Call.State.OPEN
    assert Call.objects.get(pk=empty.pk).state == Call.State.DRAFT
    assert StoryStep.objects.get(kind="calls.opened").actor == user


def test_a_hidden_issue_linked_to_a_call_is_neither_moved_nor_its_followers_told(city, organiser):
    shown, hidden = IssueFactory(), IssueFactory(hidden=True)
    call = CallFactory(issues=[shown, hidden])
    call_open(call=call, by=organiser)
    hidden.refresh_from_db()
    assert hidden.status == Issue.Status.OPEN
    assert not StoryStep.objects.filter(issue=hidden, kind="calls.opened").exists()


def test_an_opened_call_keeps_its_issues_and_is_not_deleted_in_the_admin(client, city):
    call = CallFactory(issues=[IssueFactory()])
    draft = CallFactory(title="Still a draft")
    superuser_login(client)
    call_open(call=call, by=None)
    form = client.get(reverse("admin:calls_call_change", args=[call.pk])).content.decode()
    assert 'name="issues"' not in form  # read-only once open: its issues were moved and told
    assert client.get(reverse("admin:calls_call_delete", args=[call.pk])).status_code == 403
    assert 'name="issues"' in client.get(reverse("admin:calls_call_change", args=[draft.pk])).content.decode()
    changelist = client.get(reverse("admin:calls_call_changelist")).content.decode()
    assert 'value="delete_selected"' not in changelist and 'value="open_calls"' in changelist


def test_opening_a_call_shows_at_once_on_the_stored_wall(client, city, organiser, settings):
    settings.CIVICNET_PAGE_CACHE_SECONDS = 60
    assert "Calls for projects on them have not started yet." in client.get(reverse("openwall:list")).content.decode()
    call_open(call=CallFactory(issues=[IssueFactory()]), by=organiser)
    assert '<a href="/calls/">See the calls</a>' in client.get(reverse("openwall:list")).content.decode()


def test_a_call_past_its_closing_date_reads_closed(client, city, organiser):
    ended = _opened(
        title="Ended", opens_at=timezone.now() - timedelta(days=40), closes_at=timezone.now() - timedelta(days=1)
    )
    card = client.get(reverse("calls:list")).content.decode().split("Past calls")[1]
    assert "Closed · " in card and "Open · " not in card
    page = client.get(ended.get_absolute_url()).content.decode()
    assert "<strong>Closed</strong>" in page and "closes in" not in page


def test_the_calls_issue_picker_offers_public_issues_top_first(client, city):
    superuser_login(client)
    low, top = IssueFactory(title="Low lamp"), IssueFactory(title="Top lamp")
    IssueFactory(title="Hidden lamp", hidden=True)
    Issue.objects.filter(pk=top.pk).update(vote_count=30)
    Issue.objects.filter(pk=low.pk).update(vote_count=2, offline_vote_count=1)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "calls", "model_name": "call", "field_name": "issues", "term": "lamp"},
    )
    assert [row["text"] for row in response.json()["results"]] == ["Top lamp", "Low lamp"]
