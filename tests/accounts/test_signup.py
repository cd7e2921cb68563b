import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from civicnet.accounts.models import Organisation, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

# What the sign-up form asks besides the email: a public name, the password twice, the terms.
JOINING = {"display_name": "Lena", "password1": PASSWORD, "password2": PASSWORD, "accept_terms": "on"}

LINK = re.compile(r"https?://[^/\s]+(/accounts/[^\s]+/)")


def _link_from(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def test_signup_needs_the_link_from_the_mail_before_login(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {**JOINING, "email": "New.Person@Example.org"},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.person@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]

    # Not verified yet: signing in only resends the link.
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_login"), {"login": "new.person@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    confirm_url = _link_from(mail.outbox[0])
    assert client.get(confirm_url).status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)
    # Welcomed by the name they chose, and led to what they can do first.
    assert response["Location"] == reverse("accounts:welcome")
    welcome = client.get(response["Location"]).content.decode()
    assert "Welcome, Lena" in welcome and 'href="/wall/new/"' in welcome and 'href="/wall/"' in welcome


@pytest.mark.parametrize(
    ("going", "continued"), [("/wall/new/", "/wall/new/"), ("https://evil.example/", None), ("//evil.example/", None)]
)
def test_a_newcomer_on_their_way_is_welcomed_then_led_on(client, going, continued, django_capture_on_commit_callbacks):
    """Who clicked "Raise an issue" and joined sees the welcome first, then goes on where they
    were going (this site's pages only)."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), {**JOINING, "email": "sanne@example.org", "next": going})
    response = client.post(_link_from(mail.outbox[0]))
    assert response["Location"].startswith(reverse("accounts:welcome"))
    welcome = client.get(response["Location"]).content.decode()
    assert "Welcome, Lena" in welcome
    if continued:
        assert f'<a class="button" href="{continued}">Continue where you were going</a>' in welcome
    else:
        assert "Continue where you were going" not in welcome and 'href="https://evil' not in welcome
        assert 'class="button" href="/wall/new/"' in welcome  # the first actions, as without a destination
    again = client.get(reverse("accounts:welcome"), {"next": "//evil.example/"}).content.decode()
    assert 'href="//evil.example/"' not in again and "Continue where you were going" not in again


def test_joining_keeps_the_public_name_and_when_the_terms_were_accepted(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), {**JOINING, "email": "lena@example.org", "display_name": "  Lena  V. "})
    user = User.objects.get(email="lena@example.org")
    assert user.display_name == "Lena V." and user.public_name == "Lena V."
    assert user.terms_accepted_at is not None


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"accept_terms": ""}, "Accept the terms of use to join."),
        ({"display_name": ""}, "Choose a public name, or tick “stay anonymous”."),
    ],
)
def test_joining_without_the_terms_or_a_name_is_refused_and_keeps_what_was_typed(client, missing, message):
    response = client.post(reverse("account_signup"), {**JOINING, "email": "lena@example.org", **missing})
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'value="lena@example.org"' in html
    assert not User.objects.filter(email="lena@example.org").exists()


def test_someone_may_choose_to_stay_anonymous(client, django_capture_on_commit_callbacks):
    data = {**JOINING, "email": "lena@example.org", "display_name": "", "anonymous": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), data)
    user = User.objects.get(email="lena@example.org")
    assert user.display_name == "" and user.public_name == f"Participant {user.pk}"


def test_the_sign_up_form_links_to_the_terms(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert f'I accept the <a href="{reverse("terms")}">terms of use</a>' in html


def test_login_with_verified_email_signs_in(client):
    user = UserFactory(email="amina@example.org")
    response = client.post(reverse("account_login"), {"login": "amina@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_wrong_password_shows_an_error(client):
    UserFactory(email="amina@example.org")
    response = client.post(reverse("account_login"), {"login": "amina@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert b"not correct" in response.content


def test_unverified_user_cannot_register_an_organisation(client, django_capture_on_commit_callbacks):
    user = UserFactory(verified=False)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:organisation_create"), {"name": "Sneaky", "kind": "company"})
    assert response.status_code == 200
    assert b"Verify Your Email Address" in response.content
    assert not Organisation.objects.exists()
    assert len(mail.outbox) == 1  # the verification link, sent again


def test_password_reset_by_mail(client, django_capture_on_commit_callbacks):
    UserFactory(email="amina@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "amina@example.org"})
    assert len(mail.outbox) == 1
    reset_url = _link_from(mail.outbox[0])
    response = client.get(reset_url, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_url
    new_password = "a brand new passphrase 42"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert User.objects.get(email="amina@example.org").check_password(new_password)


def test_email_is_case_insensitive_for_signup(client, django_capture_on_commit_callbacks):
    UserFactory(email="amina@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), {**JOINING, "email": "AMINA@example.org"})
    assert User.objects.filter(email__iexact="amina@example.org").count() == 1


def test_the_verified_flag_follows_the_addresses(city):
    """Rules read User.email_verified (no query of their own): it follows confirming, adding and
    removing addresses."""
    from tests.factories import UserFactory

    user = UserFactory(verified=False)
    address = EmailAddress.objects.get(user=user)
    assert not User.objects.get(pk=user.pk).has_perm("openwall.raise_issue")
    address.verified = True
    address.save()
    assert User.objects.get(pk=user.pk).has_perm("openwall.raise_issue")
    EmailAddress.objects.create(user=user, email="second@example.org", verified=False)
    assert User.objects.get(pk=user.pk).email_verified
    address.delete()  # only the unconfirmed one is left
    assert not User.objects.get(pk=user.pk).email_verified
    assert not User.objects.get(pk=user.pk).has_perm("openwall.raise_issue")


def test_saving_a_user_loaded_before_the_confirmation_keeps_it(city):
    """allauth's password reset saves a user it loaded before the reset link confirmed the address."""
    from tests.factories import UserFactory

    user = UserFactory(verified=False)
    loaded_before = User.objects.get(pk=user.pk)
    address = EmailAddress.objects.get(user=user)
    address.verified = True
    address.save()
    loaded_before.set_password("another long passphrase 8")
    loaded_before.save()
    assert User.objects.get(pk=user.pk).email_verified


def test_an_address_moved_to_another_person_takes_its_confirmation_along(city):
    from tests.factories import UserFactory

    first, second = UserFactory(), UserFactory(verified=False)
    address = EmailAddress.objects.get(user=first)
    EmailAddress.objects.filter(user=second).delete()
    address.user = second
    address.save()
    flags = dict(User.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "email_verified"))
    assert flags == {first.pk: False, second.pk: True}
