"""Decisions: staged in bulk, applied together; the teams' emails wait in the outbox until an
organiser releases them; accepted projects are published on the call and in their issues' stories."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from calls import services
from calls.models import Call, DecisionEmail, Proposal
from civicnet.notifications.models import Notification
from openwall import services as wall_services
from openwall.models import StoryStep
from tests.conftest import superuser_login
from tests.factories import (
    CallFactory,
    IssueFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    proposal_make,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(city, organiser):
    """A closed call on one issue (with a follower), three submitted proposals of three labs."""
    issue = IssueFactory(title="Dark canal path")
    follower = UserFactory(display_name="Follower")
    wall_services.follow_ensure(user=follower, issue=issue)
    call = CallFactory(title="Light for the canal", issues=[issue])
    services.call_open(call=call, by=organiser)
    proposals, members = [], []
    for n in range(3):
        lab = OrganisationFactory(name=f"Lab {n}")
        member = UserFactory(display_name=f"Member {n}", email=f"member{n}@example.org")
        MembershipFactory(organisation=lab, user=member)
        members.append(member)
        proposals.append(proposal_make(call=call, organisation=lab, by=member, submit=True, title=f"Project {n}"))
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    call.refresh_from_db()
    mail.outbox.clear()
    return {"call": call, "issue": issue, "follower": follower, "proposals": proposals, "members": members}


def test_decisions_wait_until_applied_and_their_emails_until_released(
    client, reviewed, organiser, django_capture_on_commit_callbacks
):
    call, proposals = reviewed["call"], reviewed["proposals"]
    every = Proposal.objects.filter(pk__in=[p.pk for p in proposals])
    services.decision_stage(proposals=every.filter(title="Project 0"), decision="accepted", by=organiser)
    services.decision_stage(proposals=every.exclude(title="Project 0"), decision="rejected", by=organiser)
    assert sorted(every.values_list("state", flat=True)) == ["submitted"] * 3  # staged only
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.decisions_apply(call=call, by=organiser)
    assert counts == {"accepted": 1, "rejected": 2}
    assert sorted(every.values_list("title", "state")) == [
        ("Project 0", "accepted"),
        ("Project 1", "rejected"),
        ("Project 2", "rejected"),
    ]
    call.refresh_from_db()
    assert call.state == "decided"
    # The teams' emails are written, not sent.
    assert DecisionEmail.objects.count() == 3
    assert [m.to for m in mail.outbox if m.to[0].startswith("member")] == []
    accepted = DecisionEmail.objects.get(decision="accepted")
    assert accepted.subject == "Accepted: Project 0"
    assert (
        "Good news: the proposal “Project 0” of Lab 0 is accepted in the call “Light for the canal”. Its title"
        in accepted.body
    )
    assert "are now on the call's page" in accepted.body
    # An organiser edits one, then releases all: each goes once, as edited.
    DecisionEmail.objects.filter(pk=accepted.pk).update(body="Well done, Lab 0. We call you on Monday.")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.decision_emails_release(emails=DecisionEmail.objects.all(), by=organiser) == 3
        assert services.decision_emails_release(emails=DecisionEmail.objects.all(), by=organiser) == 0
    sent = {m.to[0]: m for m in mail.outbox if m.to[0].startswith("member")}
    assert sorted(sent) == ["member0@example.org", "member1@example.org", "member2@example.org"]
    assert sent["member0@example.org"].body == "Well done, Lab 0. We call you on Monday."
    assert sent["member1@example.org"].subject == "Your proposal “Project 1”"


def test_an_accepted_project_is_published_on_the_call_and_in_its_issues_story(
    client, reviewed, organiser, citizen, django_capture_on_commit_callbacks
):
    call, issue, follower = reviewed["call"], reviewed["issue"], reviewed["follower"]
    winner = reviewed["proposals"][0]
    services.decision_stage(proposals=[winner], decision="accepted", by=organiser)
    services.decision_stage(proposals=reviewed["proposals"][1:], decision="rejected", by=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        services.decisions_apply(call=call, by=organiser)
    step = StoryStep.objects.get(issue=issue, kind="calls.accepted")
    assert step.target == winner
    told = Notification.objects.get(recipient=follower, kind="calls.accepted")
    assert told.text == "A project is accepted for “Dark canal path”: Project 0, by Lab 0."
    page = client.get(call.get_absolute_url()).content.decode()
    assert f'<a href="{winner.get_absolute_url()}">Project 0</a>' in page and "Project 1" not in page
    issue_page = client.get(issue.get_absolute_url()).content.decode()
    assert "A project is accepted for it: Project 0, by Lab 0." in issue_page
    client.force_login(citizen)
    assert client.get(winner.get_absolute_url()).status_code == 200
    assert client.get(reviewed["proposals"][1].get_absolute_url()).status_code == 404


def test_a_shortlist_keeps_the_call_in_review_until_the_last_decision(reviewed, organiser):
    call, proposals = reviewed["call"], reviewed["proposals"]
    services.decision_stage(proposals=proposals[:2], decision="shortlisted", by=organiser)
    services.decision_stage(proposals=proposals[2:], decision="rejected", by=organiser)
    services.decisions_apply(call=call, by=organiser)
    call.refresh_from_db()
    assert call.state == "in_review"
    assert not StoryStep.objects.filter(kind="calls.accepted").exists()  # nothing published yet
    services.decision_stage(proposals=proposals[:1], decision="accepted", by=organiser)
    services.decision_stage(proposals=proposals[1:2], decision="rejected", by=organiser)
    services.decisions_apply(call=call, by=organiser)
    call.refresh_from_db()
    assert call.state == "decided"
    assert StoryStep.objects.filter(kind="calls.accepted").count() == 1


def test_nothing_is_decided_before_the_call_closes_or_without_a_staged_decision(reviewed, organiser):
    call = reviewed["call"]
    with pytest.raises(ValidationError, match="No decision is staged"):
        services.decisions_apply(call=call, by=organiser)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() + timedelta(hours=1))
    assert services.decision_stage(proposals=reviewed["proposals"], decision="accepted", by=organiser) == 0
    with pytest.raises(ValidationError, match="once the call has closed"):
        services.decisions_apply(call=call, by=organiser)


def test_organisers_stage_apply_and_release_from_the_admin(client, reviewed, django_capture_on_commit_callbacks):
    superuser_login(client)
    proposals, call = reviewed["proposals"], reviewed["call"]
    client.post(
        reverse("admin:calls_proposal_changelist"),
        {"action": "stage_accept", "_selected_action": [p.pk for p in proposals]},
    )
    assert set(Proposal.objects.values_list("staged_decision", flat=True)) == {"accepted"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:calls_call_changelist"),
            {"action": "apply_decisions", "_selected_action": [call.pk]},
            follow=True,
        )
    assert "Read the emails in the outbox, then release them." in response.content.decode()
    outbox = client.get(reverse("admin:calls_decisionemail_changelist")).content.decode()
    assert outbox.count(">Accepted: Project") == 3  # one link per email
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:calls_decisionemail_changelist"),
            {"action": "release", "_selected_action": list(DecisionEmail.objects.values_list("pk", flat=True))},
        )
    assert DecisionEmail.objects.filter(released_at=None).count() == 0
    assert len([m for m in mail.outbox if m.subject.startswith("Accepted")]) == 3


def test_reviewers_are_told_when_proposals_are_given_to_them(reviewed, organiser):
    from calls.models import CallReviewer

    reviewer = UserFactory(display_name="Reviewer")
    CallReviewer.objects.create(call=reviewed["call"], user=reviewer)
    pairs = services.assignment_propose(call=reviewed["call"])["pairs"]
    services.assignment_apply(call=reviewed["call"], pairs=pairs, by=organiser)
    told = Notification.objects.get(recipient=reviewer, kind="calls.reviews_assigned")
    assert told.text == "Proposals to review for “Light for the canal”: 3."
    assert told.url == reverse("calls:review_queue")


def test_the_weekly_digest_tells_followers_of_the_call_and_its_accepted_project(
    reviewed, organiser, django_capture_on_commit_callbacks
):
    from civicnet.notifications.digest import digest_send_all

    services.decision_stage(proposals=reviewed["proposals"][:1], decision="accepted", by=organiser)
    services.decision_stage(proposals=reviewed["proposals"][1:], decision="rejected", by=organiser)
    services.decisions_apply(call=reviewed["call"], by=organiser)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        digest_send_all(now=timezone.now() + timedelta(minutes=1))
    [digest] = [m for m in mail.outbox if m.to == [reviewed["follower"].email]]
    assert "Calls for projects on the issues you follow:" in digest.body
    assert "“Dark canal path”: a call for projects answers it, “Light for the canal”." in digest.body
    assert "“Dark canal path”: a project is accepted for it, “Project 0” by Lab 0." in digest.body
    assert reviewed["proposals"][0].get_absolute_url() in digest.body
