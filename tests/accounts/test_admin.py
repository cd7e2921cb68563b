import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from civicnet.accounts.models import Organisation
from civicnet.notifications.models import Notification
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, OrganiserFactory

pytestmark = pytest.mark.django_db


def test_admin_login_is_allauths_login(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_without_authenticator_must_set_one_up(client):
    organiser = OrganiserFactory(organiser=False)
    client.force_login(organiser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_organiser_with_authenticator_reaches_the_back_office(client, organiser):
    client.force_login(organiser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Organisations" in response.content.decode()


def test_organisers_group_holds_the_core_permissions(organiser):
    group = Group.objects.get(name="Organisers")
    assert organiser.groups.filter(pk=group.pk).exists()
    assert organiser.has_perm("accounts.change_organisation")
    assert organiser.has_perm("city.change_topic")
    assert not organiser.is_superuser


def test_citizen_cannot_reach_the_back_office(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403


def test_admin_login_form_cannot_be_used_to_skip_mfa(client, citizen):
    """The admin's own form would authenticate a staff password without the second factor."""
    OrganiserFactory(email="olivia@example.org")
    client.force_login(citizen)
    response = client.post(reverse("admin:login"), {"username": "olivia@example.org", "password": PASSWORD})
    assert response.status_code == 403
    assert client.get(reverse("admin:index"), follow=True).status_code == 403


def test_verify_action_verifies_and_tells_members(client, organiser, citizen, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(verified=False)
    MembershipFactory(organisation=organisation, user=citizen, role="admin")
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_organisation_changelist"),
            {"action": "verify", "_selected_action": [organisation.pk]},
        )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).verified
    assert Notification.objects.filter(recipient=citizen, kind="organisation.verified").exists()
    assert mail.outbox[0].to == [citizen.email]


@pytest.mark.parametrize("count", [1, 30])
def test_organisation_changelist_query_budget(client, organiser, django_assert_max_num_queries, count):
    OrganisationFactory.create_batch(count)
    client.force_login(organiser)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:accounts_organisation_changelist"))
    assert response.context["cl"].result_count == count


def test_organisers_cannot_change_accounts(client, organiser, citizen):
    """Changing an email, a password or a flag would be an account takeover or an escalation."""
    assert not organiser.has_perm("accounts.change_user")
    client.force_login(organiser)
    url = reverse("admin:accounts_user_change", args=[organiser.pk])
    response = client.post(url, {"email": organiser.email, "is_superuser": "on", "is_staff": "on"})
    organiser.refresh_from_db()
    assert not organiser.is_superuser
    assert response.status_code in (200, 302, 403)
    assert client.get(reverse("admin:auth_user_password_change", args=[citizen.pk])).status_code == 403


def test_sensitive_email_text_is_not_shown_in_the_admin(client, organiser, django_capture_on_commit_callbacks):
    from civicnet.notifications.services import email_queue

    email = email_queue(to="a@example.org", subject="Reset", body_text="secret-link", language="en", sensitive=True)
    client.force_login(organiser)
    response = client.get(reverse("admin:notifications_outgoingemail_change", args=[email.pk]))
    assert response.status_code == 200
    assert "secret-link" not in response.content.decode()


def test_staff_without_authenticator_cannot_use_organiser_powers_on_the_site(client):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(verified=False)
    client.force_login(OrganiserFactory(organiser=False))
    response = client.get(reverse("accounts:organisation_edit", args=[organisation.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_anonymous_admin_login_post_never_signs_in(client):
    OrganiserFactory(email="olivia@example.org")
    response = client.post(reverse("admin:login"), {"username": "olivia@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
