import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from civicnet.accounts import services
from civicnet.accounts.models import Invitation, Membership, Organisation
from civicnet.notifications.models import Notification
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _png(size=(64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1d4f91").save(buffer, "PNG")
    return buffer.getvalue()


def test_created_organisation_is_unverified_and_hidden_from_outsiders(client, citizen, outsider):
    client.force_login(citizen)
    response = client.post(
        reverse("accounts:organisation_create"),
        {"name": "  Repair   Café Jette ", "kind": "community", "description": "We fix things."},
    )
    organisation = Organisation.objects.get()
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.name == "Repair Café Jette"
    assert organisation.slug == "repair-cafe-jette"
    assert not organisation.verified
    assert organisation.memberships.get().user == citizen
    assert organisation.memberships.get().role == "admin"

    assert client.get(organisation.get_absolute_url()).status_code == 200
    assert b"Awaiting verification" in client.get(organisation.get_absolute_url()).content
    assert (
        "Repair Café Jette"
        not in client.get(reverse("accounts:organisation_list"))
        .content.decode()
        .split("Your organisations")[-1]
        .split("</section>")[-1]
    )

    client.force_login(outsider)
    assert client.get(organisation.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(organisation.get_absolute_url()).status_code == 404


def test_organisation_form_keeps_input_and_explains_errors(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("accounts:organisation_create"), {"name": "", "kind": "spaceship", "description": "Kept text"}
    )
    assert response.status_code == 200
    assert not Organisation.objects.exists()
    content = response.content.decode()
    assert "Please correct the errors below." in content
    assert "Kept text" in content
    assert "Select a valid choice" in content


@pytest.mark.parametrize(
    ("filename", "payload", "message"),
    [
        ("logo.png", b"<?php system($_GET['c']); ?>", "Upload a valid image"),
        ("huge.png", _png((3000, 3000)) + b"\0" * (2 * 1024 * 1024), "the limit is 2.0"),
        ("anim.gif", None, "Use a JPEG, PNG or WebP image"),
    ],
)
def test_logo_upload_refuses_bad_files(client, citizen, filename, payload, message):
    if payload is None:
        buffer = io.BytesIO()
        Image.new("RGB", (10, 10)).save(buffer, "GIF")
        payload = buffer.getvalue()
    client.force_login(citizen)
    response = client.post(
        reverse("accounts:organisation_create"),
        {"name": "Logo Lab", "kind": "company", "logo": SimpleUploadedFile(filename, payload)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.exists()


def test_logo_upload_accepts_a_png(client, citizen):
    client.force_login(citizen)
    client.post(
        reverse("accounts:organisation_create"),
        {"name": "Logo Lab", "kind": "company", "logo": SimpleUploadedFile("logo.png", _png(), "image/png")},
    )
    assert Organisation.objects.get().logo.name.startswith("organisations/logos/")


def test_outsider_cannot_edit_or_see_members(client, organisation, outsider):
    client.force_login(outsider)
    edit = reverse("accounts:organisation_edit", args=[organisation.slug])
    members = reverse("accounts:organisation_members", args=[organisation.slug])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"name": "Hijacked", "kind": "company"}).status_code == 403
    assert client.get(members).status_code == 403
    assert client.post(members, {"email": "x@example.org", "role": "admin"}).status_code == 403
    organisation.refresh_from_db()
    assert organisation.name != "Hijacked"
    assert not Invitation.objects.exists()


def test_anonymous_is_sent_to_login_for_edit(client, organisation):
    response = client.get(reverse("accounts:organisation_edit", args=[organisation.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_plain_member_cannot_invite(client, organisation, other_citizen):
    MembershipFactory(organisation=organisation, user=other_citizen)
    client.force_login(other_citizen)
    members = reverse("accounts:organisation_members", args=[organisation.slug])
    assert client.get(members).status_code == 200
    assert client.post(members, {"email": "x@example.org", "role": "member"}).status_code == 403


def test_invitation_by_email_then_acceptance(client, organisation, citizen, django_capture_on_commit_callbacks):
    invitee = UserFactory(email="bram@example.org", preferred_language="nl")
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:organisation_members", args=[organisation.slug]),
            {"email": "Bram@Example.org", "role": "member"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bram@example.org"]
    assert organisation.name not in message.subject  # names the sender chose stay out of subjects
    assert organisation.name.replace(" ", "\u00a0") not in message.subject
    assert "uitnodiging" in message.subject.lower()  # in the invitee's language (Dutch)
    assert organisation.name in message.body
    path = re.search(r"(/invitations/[\w-]+/)", message.body).group(1)

    client.force_login(invitee)
    assert organisation.name in client.get(path).content.decode()
    response = client.post(path)
    assert response["Location"] == organisation.get_absolute_url()
    assert Membership.objects.get(organisation=organisation, user=invitee).role == "member"
    notification = Notification.objects.get(recipient=citizen)
    assert notification.kind == "organisation.invitation_accepted"

    # The link works once.
    assert client.post(path).status_code == 400


def test_invitation_cannot_be_taken_by_someone_else(client, organisation, citizen, outsider):
    invitation = services.invitation_create(
        organisation=organisation, by=citizen, email="bram@example.org", role="admin"
    )
    client.force_login(outsider)
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 400
    assert "another email address" in response.content.decode()
    assert not Membership.objects.filter(user=outsider).exists()


def test_invitation_twice_to_the_same_address_is_refused(client, organisation, citizen):
    client.force_login(citizen)
    url = reverse("accounts:organisation_members", args=[organisation.slug])
    client.post(url, {"email": "bram@example.org", "role": "member"})
    response = client.post(url, {"email": "BRAM@example.org", "role": "member"})
    assert response.status_code == 200
    assert "already has a pending invitation" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_member_can_leave_but_last_admin_cannot_while_others_remain(client, organisation, citizen, other_citizen):
    MembershipFactory(organisation=organisation, user=other_citizen)
    leave = reverse("accounts:organisation_leave", args=[organisation.slug])

    client.force_login(citizen)
    response = client.post(leave, follow=True)
    assert "last administrator" in response.content.decode()
    assert organisation.memberships.filter(user=citizen).exists()

    client.force_login(other_citizen)
    client.post(leave)
    assert not organisation.memberships.filter(user=other_citizen).exists()

    client.force_login(citizen)
    response = client.post(leave, follow=True)
    assert "only member" in response.content.decode()
    assert organisation.memberships.filter(user=citizen).exists()


def test_leave_needs_post(client, organisation, citizen):
    client.force_login(citizen)
    assert client.get(reverse("accounts:organisation_leave", args=[organisation.slug])).status_code == 405


def test_verifying_tells_members_and_lists_it(client, citizen, organiser, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(verified=False, name="Fablab Evere")
    MembershipFactory(organisation=organisation, user=citizen, role="admin")
    assert "Fablab Evere" not in client.get(reverse("accounts:organisation_list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.organisation_verify(organisation=organisation, by=organiser)
    assert not services.organisation_verify(organisation=organisation, by=organiser)
    assert Notification.objects.filter(recipient=citizen, kind="organisation.verified").count() == 1
    assert len(mail.outbox) == 1
    assert "Fablab Evere" in client.get(reverse("accounts:organisation_list")).content.decode()


def test_profile_saves_language_and_district(client, citizen, city):
    client.force_login(citizen)
    response = client.post(
        reverse("accounts:profile"), {"display_name": "Amina E.", "preferred_language": "fr", "district": ""}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.display_name == "Amina E."
    assert citizen.preferred_language == "fr"


@pytest.mark.parametrize("count", [1, 30])
def test_organisation_list_query_budget(client, django_assert_max_num_queries, citizen, count):
    for organisation in OrganisationFactory.create_batch(count):
        MembershipFactory(organisation=organisation, user=citizen)
    client.force_login(citizen)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("accounts:organisation_list"))
    assert len(response.context["page"].object_list) == min(count, 24)


@pytest.mark.parametrize("count", [1, 30])
def test_organisation_detail_and_members_query_budget(
    client, django_assert_max_num_queries, organisation, citizen, count
):
    MembershipFactory.create_batch(count, organisation=organisation)
    client.force_login(citizen)
    with django_assert_max_num_queries(9):
        response = client.get(organisation.get_absolute_url())
    assert len(response.context["members"]) == count + 1
    with django_assert_max_num_queries(10):
        response = client.get(reverse("accounts:organisation_members", args=[organisation.slug]))
    assert len(response.context["members"]) == count + 1


@pytest.mark.parametrize("count", [1, 30])
def test_profile_lists_my_organisations_within_budget(client, django_assert_max_num_queries, citizen, count):
    for organisation in OrganisationFactory.create_batch(count):
        MembershipFactory(organisation=organisation, user=citizen)
    client.force_login(citizen)
    with django_assert_max_num_queries(10):  # and the Open Wall's four lists (issues, votes, follows, meetups)
        response = client.get(reverse("accounts:profile"))
    assert response.content.decode().count('<span class="muted">· Member</span>') == count
