import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civicnet.accounts import services
from civicnet.accounts.models import Invitation, Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _change(client, organisation, membership, action):
    return client.post(
        reverse("accounts:membership_change", args=[organisation.slug, membership.pk]), {"action": action}, follow=True
    )


def test_admin_promotes_demotes_and_removes(client, organisation, citizen, other_citizen):
    membership = MembershipFactory(organisation=organisation, user=other_citizen)
    client.force_login(citizen)
    _change(client, organisation, membership, "admin")
    assert Membership.objects.get(pk=membership.pk).role == "admin"
    _change(client, organisation, membership, "member")
    assert Membership.objects.get(pk=membership.pk).role == "member"
    response = _change(client, organisation, membership, "remove")
    assert "is no longer a member" in response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_administrator_cannot_be_demoted(client, organisation, citizen, other_citizen):
    MembershipFactory(organisation=organisation, user=other_citizen)
    own = organisation.memberships.get(user=citizen)
    with pytest.raises(ValidationError, match="at least one administrator"):
        services.membership_role_set(membership=own, by=citizen, role="member")
    assert Membership.objects.get(pk=own.pk).role == "admin"


def test_only_member_cannot_leave(client, organisation, citizen):
    client.force_login(citizen)
    response = client.post(reverse("accounts:organisation_leave", args=[organisation.slug]), follow=True)
    assert "only member" in response.content.decode()
    assert organisation.memberships.filter(user=citizen).exists()


def test_plain_member_cannot_manage_and_another_organisations_member_is_404(
    client, organisation, citizen, other_citizen
):
    own = MembershipFactory(organisation=organisation, user=other_citizen)
    elsewhere = MembershipFactory(organisation=OrganisationFactory())
    client.force_login(other_citizen)
    assert _change(client, organisation, organisation.memberships.get(user=citizen), "remove").status_code == 403
    client.force_login(citizen)
    url = reverse("accounts:membership_change", args=[organisation.slug, elsewhere.pk])
    assert client.post(url, {"action": "remove"}).status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_invitation_can_be_withdrawn(client, organisation, citizen):
    invitation = services.invitation_create(organisation=organisation, by=citizen, email="x@example.org", role="member")
    client.force_login(citizen)
    client.post(reverse("accounts:invitation_revoke", args=[organisation.slug, invitation.pk]))
    assert not Invitation.objects.pending().exists()
    assert Invitation.objects.get().revoked_at is not None  # kept: it counts in the day's allowance
    client.force_login(citizen)
    assert client.get(invitation.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("field", "value"), [("name", "City of Brussels"), ("kind", "government"), ("website", "https://impostor.example")]
)
def test_changing_identity_loses_verification(client, organisation, citizen, field, value):
    client.force_login(citizen)
    data = {"name": organisation.name, "kind": organisation.kind, "description": "New text", "website": ""}
    data[field] = value
    response = client.post(reverse("accounts:organisation_edit", args=[organisation.slug]), data, follow=True)
    organisation.refresh_from_db()
    assert getattr(organisation, field) == value
    assert not organisation.verified
    assert "checked by an organiser" in response.content.decode()


def test_changing_the_description_keeps_verification(client, organisation, citizen):
    client.force_login(citizen)
    data = {"name": organisation.name, "kind": organisation.kind, "description": "Better text", "website": ""}
    client.post(reverse("accounts:organisation_edit", args=[organisation.slug]), data)
    organisation.refresh_from_db()
    assert organisation.verified
    assert organisation.description == "Better text"


def test_an_organisation_called_new_stays_reachable(client, citizen):
    client.force_login(citizen)
    client.post(reverse("accounts:organisation_create"), {"name": "New", "kind": "company"})
    organisation = Organisation.objects.get()
    assert organisation.slug == "new-2"
    assert client.get(organisation.get_absolute_url()).status_code == 200
