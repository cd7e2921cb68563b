"""Invitations cannot be a phishing channel: unverified organisations' invitations wait, chosen
names stay out of subjects and never become links, and an organisation's sending is limited."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from civicnet.accounts import services
from civicnet.accounts.models import Invitation
from civicnet.notifications.models import OutgoingEmail
from tests.factories import MembershipFactory, OrganisationFactory, OrganiserFactory, UserFactory

pytestmark = pytest.mark.django_db

PHISHING = "Your account is suspended - visit evil.example now"


@pytest.fixture
def unverified(citizen):
    organisation = OrganisationFactory(verified=False, name=PHISHING)
    MembershipFactory(organisation=organisation, user=citizen, role="admin")
    return organisation


def test_an_unverified_organisations_invitation_waits_for_verification(
    client, city, citizen, unverified, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    url = reverse("accounts:organisation_members", args=[unverified.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "stranger@example.org", "role": "member"}, follow=True)
    assert "It will be sent once the organisers have verified your organisation." in response.content.decode()
    assert "waits until the organisers verify the organisation" in response.content.decode()
    assert "invitations wait, unsent, until they do." in response.content.decode()
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()
    invitation = Invitation.objects.get()
    assert invitation.held
    # Its link does not work before it is sent, even to the right person.
    invitee = UserFactory(email="stranger@example.org")
    client.force_login(invitee)
    client.post(invitation.get_absolute_url())
    assert not unverified.memberships.filter(user=invitee).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_verify(organisation=unverified, by=OrganiserFactory())
    invitation_mails = [m for m in mail.outbox if m.to == ["stranger@example.org"]]
    assert len(invitation_mails) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert invitation.get_absolute_url() in invitation_mails[0].body


def test_names_chosen_by_the_sender_are_not_in_the_subject_and_not_links(
    client, city, citizen, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(verified=True, name=PHISHING)
    MembershipFactory(organisation=organisation, user=citizen, role="admin")
    citizen.display_name = "Support at www.evil.example or help@evil.example"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(organisation=organisation, by=citizen, email="stranger@example.org", role="member")
    message = mail.outbox[0]
    assert "evil" not in message.subject and "suspended" not in message.subject
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "evil.example" not in body
        assert "www.evil" not in body
        assert "help@evil" not in body
        assert "evil\u2024example" in body  # still readable, pointing nowhere
    assert html.count("<a ") == 1  # the one link is the invitation's


def test_an_organisation_is_limited_per_day_whoever_sends(client, city, citizen, settings):
    settings.CIVICNET_INVITATIONS_PER_ORGANISATION_PER_DAY = 3
    organisation = OrganisationFactory(verified=True)
    second_admin = UserFactory()
    for admin in (citizen, second_admin):
        MembershipFactory(organisation=organisation, user=admin, role="admin")
    url = reverse("accounts:organisation_members", args=[organisation.slug])
    for n, admin in enumerate([citizen, second_admin, citizen, second_admin]):
        client.force_login(admin)
        response = client.post(url, {"email": f"p{n}@example.org", "role": "member"})
    assert response.status_code == 200
    assert "3 invitations in the last 24 hours" in response.content.decode()
    assert Invitation.objects.count() == 3


def test_withdrawing_gives_no_allowance_back(client, city, citizen, settings):
    settings.CIVICNET_INVITATIONS_PER_ORGANISATION_PER_DAY = 2
    organisation = OrganisationFactory(verified=True)
    MembershipFactory(organisation=organisation, user=citizen, role="admin")
    for n in range(2):
        invitation = services.invitation_create(
            organisation=organisation, by=citizen, email=f"p{n}@example.org", role="member"
        )
        services.invitation_revoke(invitation=invitation, by=citizen)
    with pytest.raises(ValidationError, match="2 invitations in the last 24 hours"):
        services.invitation_create(organisation=organisation, by=citizen, email="p9@example.org", role="member")
    # A withdrawn address may be invited again another day: it holds no place among the pending.
    assert not Invitation.objects.pending().exists()


def test_an_invitation_held_for_weeks_is_sent_when_the_organisation_is_verified(
    city, citizen, unverified, django_capture_on_commit_callbacks
):
    invitation = services.invitation_create(
        organisation=unverified, by=citizen, email="stranger@example.org", role="member"
    )
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_verify(organisation=unverified, by=OrganiserFactory())
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and not invitation.expired
    assert [m.to for m in mail.outbox if m.to == ["stranger@example.org"]] == [["stranger@example.org"]]


def test_an_unverified_organisation_holds_only_a_days_worth(city, citizen, unverified, settings):
    settings.CIVICNET_INVITATIONS_PER_ORGANISATION_PER_DAY = 2
    for n in range(2):
        invitation = services.invitation_create(
            organisation=unverified, by=citizen, email=f"p{n}@example.org", role="member"
        )
        Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=3))
    with pytest.raises(ValidationError, match="2 invitations already wait"):
        services.invitation_create(organisation=unverified, by=citizen, email="p9@example.org", role="member")
