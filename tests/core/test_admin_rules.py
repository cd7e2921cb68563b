"""The back office's rules for every ModelAdmin: lists filter only by what they declare, and no
admin page lets an organiser change a count or act around the moderation log."""

import pytest
from django.contrib import admin
from django.urls import reverse

from civicnet.accounts.models import Membership
from civicnet.notifications.models import OutgoingEmail
from civicnet.notifications.services import email_queue
from openwall import services
from openwall.models import Comment, Flag, Issue, ModerationAction, Vote
from tests.conftest import superuser_login
from tests.factories import IssueFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_a_queued_emails_text_cannot_be_searched_by_lookup(client, organiser):
    email_queue(to="amina@example.org", subject="Reset", body_text="key=abc123", language="en")
    client.force_login(organiser)
    url = _changelist(OutgoingEmail)
    # The probe's oracle: a regex on a field the change page hides.
    assert client.get(url, {"body_text__regex": "^key=a"}).status_code == 400
    assert client.get(url, {"body_text__startswith": "key"}).status_code == 400
    assert client.get(url, {"recipient__password__startswith": "md5"}).status_code == 400
    # What the list declares still filters.
    response = client.get(url, {"sent_at__isempty": "1"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_no_admin_list_accepts_an_undeclared_lookup(client):
    """Every registered ModelAdmin, the libraries' included: a text field that is not a filter
    cannot be probed with a pattern."""
    superuser_login(client)
    probed = 0
    for model, model_admin in admin.site._registry.items():
        declared = {item if isinstance(item, str) else None for item in model_admin.list_filter}
        text_fields = [
            f.name
            for f in model._meta.fields
            if f.get_internal_type() in ("CharField", "TextField") and f.name not in declared
        ]
        if not text_fields:
            continue
        response = client.get(_changelist(model), {f"{text_fields[0]}__regex": "."})
        assert response.status_code == 400, f"{model.__name__}.{text_fields[0]} accepts a regex lookup"
        probed += 1
    assert probed >= 15


def test_declared_filters_and_date_drilldown_still_work(client, organiser, city):
    IssueFactory(status=Issue.Status.PRIORITISED)
    IssueFactory()
    client.force_login(organiser)
    url = _changelist(Issue)
    assert client.get(url, {"status__exact": "prioritised"}).context["cl"].result_count == 1
    assert client.get(url, {"flagged": "yes"}).context["cl"].result_count == 0
    year = Issue.objects.first().created_at.year
    assert client.get(url, {"created_at__year": year}).context["cl"].result_count == 2
    assert client.get(url, {"topic__id__exact": Issue.objects.first().topic_id}).status_code == 200
    assert client.get(url, {"title__regex": "."}).status_code == 400


# What no organiser may do in the admin, per model: counts and logs are written by services only.
LOCKED = {
    Vote: {"add", "change", "delete"},
    Flag: {"add", "change", "delete"},
    ModerationAction: {"add", "change", "delete"},
    Issue: {"add", "delete"},
    Comment: {"add", "delete"},
}


@pytest.mark.parametrize("model", list(LOCKED), ids=lambda m: m.__name__)
def test_organisers_cannot_write_counted_records_in_the_admin(client, organiser, city, model):
    issue = IssueFactory()
    voter = UserFactory()
    services.vote_toggle(user=voter, issue=issue)
    comment = services.comment_create(author=voter, issue=issue, body="Agreed")
    services.flag_create(user=voter, issue=issue, reason="spam")
    services.moderation_hide(by=organiser, reason="test", comment=comment)
    obj = model.objects.first()
    client.force_login(organiser)
    opts = model._meta
    locked = LOCKED[model]
    add = client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), {})
    assert (add.status_code == 403) == ("add" in locked)
    delete = client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()
    bulk = client.post(_changelist(model), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert model.objects.filter(pk=obj.pk).exists()
    assert bulk.status_code in (200, 302)
    if "change" in locked:
        change = client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]), {})
        assert change.status_code == 403
    issue.refresh_from_db()
    assert (issue.vote_count, issue.comment_count) == (1, 0)  # the hidden comment left the count
    assert Vote.objects.filter(issue=issue).count() == 1


def test_the_issue_form_cannot_change_a_count(client, organiser, city):
    issue = IssueFactory()
    services.vote_toggle(user=UserFactory(), issue=issue)
    client.force_login(organiser)
    url = reverse("admin:openwall_issue_change", args=[issue.pk])
    response = client.post(
        url,
        {
            "topic": issue.topic_id,
            "district": "",
            "vote_count": 999,
            "comment_count": 999,
            "story_steps-TOTAL_FORMS": 0,
            "story_steps-INITIAL_FORMS": 1,
            "story_steps-MIN_NUM_FORMS": 0,
            "story_steps-MAX_NUM_FORMS": 0,
        },
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.vote_count, issue.comment_count) == (1, 0)


def test_a_meetup_with_paper_votes_cannot_be_deleted(client, organiser, city):
    from datetime import timedelta

    from django.utils import timezone

    from openwall.models import Meetup, OfflineTally

    host = OrganisationFactory()
    meetup = Meetup.objects.create(
        title="Meetup",
        host=host,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=1),
        address="Rue Haute 1",
        published=True,
    )
    issue = IssueFactory()
    services.tally_set(facilitator=organiser, meetup=meetup, issue=issue, votes=12)
    client.force_login(organiser)
    response = client.post(reverse("admin:openwall_meetup_delete", args=[meetup.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert OfflineTally.objects.filter(meetup=meetup).count() == 1
    issue.refresh_from_db()
    assert issue.offline_vote_count == 12


def test_the_membership_inline_keeps_an_administrator(client, organiser):
    organisation = OrganisationFactory()
    admin_membership = MembershipFactory(organisation=organisation, role="admin")
    member = MembershipFactory(organisation=organisation, role="member")
    client.force_login(organiser)
    url = reverse("admin:accounts_organisation_change", args=[organisation.pk])
    data = {
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "description": organisation.description,
        "website": "",
        "memberships-TOTAL_FORMS": 2,
        "memberships-INITIAL_FORMS": 2,
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
        "memberships-0-id": admin_membership.pk,
        "memberships-0-organisation": organisation.pk,
        "memberships-0-user": admin_membership.user_id,
        "memberships-0-role": "member",
        "memberships-1-id": member.pk,
        "memberships-1-organisation": organisation.pk,
        "memberships-1-user": member.user_id,
        "memberships-1-role": "member",
        "invitations-TOTAL_FORMS": 0,
        "invitations-INITIAL_FORMS": 0,
        "invitations-MIN_NUM_FORMS": 0,
        "invitations-MAX_NUM_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "An organisation needs at least one administrator." in response.content.decode()
    assert Membership.objects.get(pk=admin_membership.pk).role == "admin"
    data["memberships-0-DELETE"] = "on"
    data["memberships-0-role"] = "admin"
    response = client.post(url, data)
    assert "An organisation needs at least one administrator." in response.content.decode()
    assert Membership.objects.filter(pk=admin_membership.pk).exists()
    # Handing over is fine: the member becomes administrator as the old one leaves.
    data["memberships-1-role"] = "admin"
    assert client.post(url, data).status_code == 302
    assert list(organisation.memberships.values_list("role", flat=True)) == ["admin"]


def test_admin_deleting_a_user_runs_the_erasure(client, city):
    issue = IssueFactory()
    voter = UserFactory()
    services.vote_toggle(user=voter, issue=issue)
    superuser_login(client)
    response = client.post(reverse("admin:accounts_user_delete", args=[voter.pk]), {"post": "yes"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.vote_count == 0


def test_a_declared_filter_is_no_path_into_another_models_text(client, organiser, city):
    client.force_login(organiser)
    url = _changelist(Issue)
    assert client.get(url, {"topic__name_i18n__regex": "."}).status_code == 400
    assert client.get(url, {"author__password__startswith": "md5"}).status_code == 400
    assert client.get(url, {"o": "1"}).status_code == 200  # ordering by a listed column


def test_a_change_form_does_not_write_over_a_vote_that_lands_meanwhile(client, organiser, city, monkeypatch):
    from civicnet.city.models import District
    from openwall.admin import IssueAdmin

    issue = IssueFactory()
    district = District.objects.first()
    loaded = IssueAdmin.get_object

    def load_then_a_vote_lands(self, request, object_id, from_field=None):
        obj = loaded(self, request, object_id, from_field)
        Issue.objects.filter(pk=obj.pk).update(vote_count=5, hidden=True)  # a vote, an auto-hide
        return obj

    monkeypatch.setattr(IssueAdmin, "get_object", load_then_a_vote_lands)
    client.force_login(organiser)
    response = client.post(
        reverse("admin:openwall_issue_change", args=[issue.pk]),
        {
            "topic": issue.topic_id,
            "district": district.pk,
            "story_steps-TOTAL_FORMS": 0,
            "story_steps-INITIAL_FORMS": 0,
            "story_steps-MIN_NUM_FORMS": 0,
            "story_steps-MAX_NUM_FORMS": 0,
        },
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.district_id, issue.vote_count, issue.hidden) == (district.pk, 5, True)


def test_the_membership_inline_adds_nobody_and_a_left_out_form_cannot_drop_the_last_admin(client, organiser):
    organisation = OrganisationFactory()
    admin_membership = MembershipFactory(organisation=organisation, role="admin")
    member = MembershipFactory(organisation=organisation, role="member")
    outsider = UserFactory()
    client.force_login(organiser)
    url = reverse("admin:accounts_organisation_change", args=[organisation.pk])
    base = {
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "description": organisation.description,
        "website": "",
        "invitations-TOTAL_FORMS": 0,
        "invitations-INITIAL_FORMS": 0,
        "invitations-MIN_NUM_FORMS": 0,
        "invitations-MAX_NUM_FORMS": 0,
    }
    # Only the administrator's form, marked for deletion; the member's form left out of the post.
    response = client.post(
        url,
        base
        | {
            "memberships-TOTAL_FORMS": 1,
            "memberships-INITIAL_FORMS": 1,
            "memberships-MIN_NUM_FORMS": 0,
            "memberships-MAX_NUM_FORMS": 1000,
            "memberships-0-id": admin_membership.pk,
            "memberships-0-organisation": organisation.pk,
            "memberships-0-role": "admin",
            "memberships-0-DELETE": "on",
        },
    )
    assert "An organisation needs at least one administrator." in response.content.decode()
    assert Membership.objects.filter(pk=admin_membership.pk).exists()
    # An extra form cannot add someone.
    client.post(
        url,
        base
        | {
            "memberships-TOTAL_FORMS": 3,
            "memberships-INITIAL_FORMS": 2,
            "memberships-MIN_NUM_FORMS": 0,
            "memberships-MAX_NUM_FORMS": 1000,
            "memberships-0-id": admin_membership.pk,
            "memberships-0-organisation": organisation.pk,
            "memberships-0-role": "admin",
            "memberships-1-id": member.pk,
            "memberships-1-organisation": organisation.pk,
            "memberships-1-role": "member",
            "memberships-2-organisation": organisation.pk,
            "memberships-2-user": outsider.pk,
            "memberships-2-role": "admin",
        },
    )
    assert not Membership.objects.filter(user=outsider).exists()
