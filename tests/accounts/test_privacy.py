import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from civicnet.accounts.models import User
from openwall import services
from openwall.models import Issue
from tests.factories import PASSWORD, IssueFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_download_holds_my_data_and_nobody_elses(client, city, citizen, other_citizen):
    issue = services.issue_create(
        author=citizen,
        title="My street lamp",
        description="Broken since May, really.",
        topic=IssueFactory().topic,
        language="en",
    )
    services.vote_toggle(user=citizen, issue=IssueFactory())
    services.comment_create(author=other_citizen, issue=issue, body="Someone else's words")
    client.force_login(citizen)
    assert client.get(reverse("accounts:data_export")).status_code == 200
    response = client.post(reverse("accounts:data_export"))
    assert response["Content-Type"] == "application/zip"
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    assert data["profile"]["email"] == citizen.email
    assert [i["title"] for i in data["openwall"]["issues"]] == ["My street lamp"]
    assert len(data["openwall"]["votes"]) == 1
    assert "Someone else's words" not in json.dumps(data)
    assert other_citizen.email not in json.dumps(data)


def test_deleting_keeps_contributions_anonymous_and_counts_right(client, city, citizen, other_citizen):
    issue = services.issue_create(
        author=citizen,
        title="My street lamp",
        description="Broken since May, really.",
        topic=IssueFactory().topic,
        language="en",
    )
    other = IssueFactory()
    for voter in (citizen, other_citizen):
        services.vote_toggle(user=voter, issue=other)
    services.comment_create(author=citizen, issue=other, body="I agree with this")
    client.force_login(citizen)
    response = client.post(reverse("accounts:account_delete"), {"password": "wrong"})
    assert "This is not your password." in response.content.decode()
    assert User.objects.filter(pk=citizen.pk).exists()
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assert response["Location"] == reverse("home")
    assert not User.objects.filter(email=citizen.email).exists()
    assert Issue.objects.get(pk=other.pk).vote_count == 1
    assert Issue.objects.get(pk=issue.pk).author is None
    page = client.get(other.get_absolute_url()).content.decode()
    assert "I agree with this" in page
    assert "Former participant" in page
    assert "_auth_user_id" not in client.session


def test_privacy_page_says_what_is_stored(client, city):
    html = client.get(reverse("privacy")).content.decode()
    assert "What we store, and why" in html


@pytest.mark.parametrize("count", [1, 30])
def test_privacy_pages_query_budget(client, city, django_assert_max_num_queries, count):
    user = UserFactory()
    for issue in IssueFactory.create_batch(count):
        services.vote_toggle(user=user, issue=issue)
    client.force_login(user)
    with django_assert_max_num_queries(20):
        assert client.post(reverse("accounts:data_export")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("accounts:account_delete")).status_code == 200


def test_deleting_erases_the_person_from_invitations_notifications_and_emails(
    client, city, citizen, other_citizen, django_capture_on_commit_callbacks
):
    from civicnet.accounts import services as account_services
    from civicnet.accounts.models import Invitation
    from civicnet.notifications.models import Notification, OutgoingEmail
    from tests.factories import MembershipFactory, OrganisationFactory

    organisation = OrganisationFactory(verified=True)
    MembershipFactory(organisation=organisation, user=other_citizen, role="admin")
    invitation = account_services.invitation_create(
        organisation=organisation, by=other_citizen, email=citizen.email, role="member"
    )
    account_services.invitation_accept(invitation=invitation, user=citizen)
    issue = IssueFactory(author=other_citizen)
    parent = services.comment_create(author=other_citizen, issue=issue, body="What do you think?")
    with django_capture_on_commit_callbacks(execute=False):  # the reply email waits, unsent
        services.comment_create(author=citizen, issue=issue, body="Agreed", parent=parent)
    name = citizen.public_name
    assert OutgoingEmail.objects.filter(to=other_citizen.email, body_text__contains=name).exists()
    from civicnet.accounts.privacy import user_delete

    user_delete(user=citizen)
    assert not Invitation.objects.filter(email__iexact=citizen.email).exists()
    for notification in Notification.objects.filter(recipient=other_citizen):
        assert name not in notification.text
    assert any("Former participant" in n.text for n in Notification.objects.filter(recipient=other_citizen))
    for email in OutgoingEmail.objects.all():
        assert name not in email.body_text + email.body_html + email.subject
        assert citizen.email not in email.to
    assert OutgoingEmail.objects.filter(to=other_citizen.email, body_text__contains="Former participant").exists()


def test_an_organisation_left_without_administrator_goes_to_the_organisers(client, city, citizen, organiser):
    from civicnet.accounts.models import Organisation
    from civicnet.accounts.privacy import user_delete
    from civicnet.notifications.models import Notification
    from tests.factories import MembershipFactory, OrganisationFactory

    alone = OrganisationFactory(name="Alone Lab")
    MembershipFactory(organisation=alone, user=citizen, role="admin")
    shared = OrganisationFactory(name="Shared Lab")
    MembershipFactory(organisation=shared, user=citizen, role="admin")
    MembershipFactory(organisation=shared, role="admin")
    user_delete(user=citizen)
    told = Notification.objects.filter(recipient=organiser, kind="organisation.orphaned")
    assert [n.data["organisation"] for n in told] == ["Alone Lab"]
    client.force_login(organiser)
    response = client.get(reverse("admin:accounts_organisation_changelist"), {"administrators": "none"})
    assert [o.name for o in response.context["cl"].result_list] == ["Alone Lab"]
    assert Organisation.objects.filter(name="Alone Lab").exists()


def test_download_holds_reports_invitations_and_organisations_created(client, city, citizen):
    from civicnet.accounts import services as account_services
    from tests.factories import OrganisationFactory

    organisation = account_services.organisation_create(user=citizen, name="Repair Café Molenbeek", kind="community")
    received = OrganisationFactory(verified=True)
    account_services.invitation_create(organisation=received, by=UserFactory(), email=citizen.email, role="member")
    account_services.invitation_create(organisation=organisation, by=citizen, email="friend@example.org", role="member")
    issue = IssueFactory()
    services.flag_create(user=citizen, issue=issue, reason="spam", note="Looks like an advert")
    client.force_login(citizen)
    response = client.post(reverse("accounts:data_export"))
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    assert [o["name"] for o in data["organisations_created"]] == ["Repair Café Molenbeek"]
    assert [i["email"] for i in data["invitations_sent"]] == ["friend@example.org"]
    assert [i["organisation__name"] for i in data["invitations_received"]] == [received.name]
    assert [(r["issue_id"], r["note"]) for r in data["openwall"]["reports"]] == [(issue.pk, "Looks like an advert")]


def test_deleting_leaves_other_emails_alone_even_when_the_name_is_a_common_word(city, citizen):
    from civicnet.accounts.privacy import user_delete
    from civicnet.notifications.models import OutgoingEmail
    from civicnet.notifications.services import email_queue

    citizen.display_name = "de"
    citizen.save()
    waiting = email_queue(to="x@example.org", subject="Meetup", body_text="Rue de la Loi 16", language="fr")
    sent = email_queue(to="y@example.org", subject="Meetup", body_text="Place de la Monnaie", language="fr")
    OutgoingEmail.objects.filter(pk=sent.pk).update(sent_at=timezone.now())
    user_delete(user=citizen)
    assert OutgoingEmail.objects.get(pk=waiting.pk).body_text == "Rue de la Loi 16"
    assert OutgoingEmail.objects.get(pk=sent.pk).body_text == "Place de la Monnaie"
