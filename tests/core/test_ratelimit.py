import pytest
from django.test import RequestFactory
from django.urls import reverse

from civicnet.accounts.models import Invitation, Organisation
from civicnet.ratelimit import Rate, client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "rate"),
    [("5/h", Rate(5, 3600)), ("30/m", Rate(30, 60)), ("10/15m", Rate(10, 900)), ("1/d", Rate(1, 86400))],
)
def test_rates_parse(text, rate):
    assert Rate.parse(text) == rate


def test_organisation_creation_is_limited_per_user(client, settings, citizen):
    settings.CIVICNET_RATE_LIMITS = {**settings.CIVICNET_RATE_LIMITS, "organisation_create": "3/h"}
    client.force_login(citizen)
    for n in range(3):
        response = client.post(reverse("accounts:organisation_create"), {"name": f"Org {n}", "kind": "company"})
        assert response.status_code == 302
    response = client.post(reverse("accounts:organisation_create"), {"name": "One too many", "kind": "company"})
    assert response.status_code == 429
    assert "Please wait a few minutes" in response.content.decode()
    assert Organisation.objects.count() == 3
    # Reading the form is not limited.
    assert client.get(reverse("accounts:organisation_create")).status_code == 200


def test_limit_follows_the_user_across_addresses(client, settings, citizen):
    settings.CIVICNET_RATE_LIMITS = {**settings.CIVICNET_RATE_LIMITS, "organisation_create": "1/h"}
    client.force_login(citizen)
    url = reverse("accounts:organisation_create")
    assert client.post(url, {"name": "A", "kind": "company"}, REMOTE_ADDR="10.0.0.1").status_code == 302
    assert client.post(url, {"name": "B", "kind": "company"}, REMOTE_ADDR="10.0.0.2").status_code == 429


def test_signed_in_limits_are_per_person_with_a_higher_backstop_per_address(client, settings):
    """A meetup's room shares one Wi-Fi address: each person has their own allowance."""
    settings.CIVICNET_RATE_LIMITS = {**settings.CIVICNET_RATE_LIMITS, "organisation_create": "1/h"}
    settings.CIVICNET_RATE_LIMIT_ADDRESS_FACTOR = 3
    url = reverse("accounts:organisation_create")
    first = UserFactory()
    client.force_login(first)
    assert client.post(url, {"name": "A", "kind": "company"}).status_code == 302
    assert client.post(url, {"name": "A2", "kind": "company"}).status_code == 429  # the person's limit
    for name in ("B", "C"):
        client.force_login(UserFactory())
        assert client.post(url, {"name": name, "kind": "company"}).status_code == 302
    client.force_login(UserFactory())
    assert client.post(url, {"name": "D", "kind": "company"}).status_code == 429  # the address's backstop


def test_invitations_are_limited(client, settings, organisation, citizen):
    settings.CIVICNET_RATE_LIMITS = {**settings.CIVICNET_RATE_LIMITS, "invitation_send": "2/h"}
    client.force_login(citizen)
    url = reverse("accounts:organisation_members", args=[organisation.slug])
    for n in range(2):
        client.post(url, {"email": f"p{n}@example.org", "role": "member"})
    assert client.post(url, {"email": "p9@example.org", "role": "member"}).status_code == 429
    assert Invitation.objects.count() == 2


def test_client_ip_trusts_only_the_configured_proxy_hops(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.CIVICNET_TRUSTED_PROXY_HOPS = 0
    assert client_ip(request) == "10.0.0.9"
    settings.CIVICNET_TRUSTED_PROXY_HOPS = 1
    assert client_ip(request) == "203.0.113.5"  # the spoofable first entry is ignored


def test_every_write_in_the_permission_matrix_is_rate_limited():
    """Each view the matrix posts to counts against the person (allauth's own views have
    allauth's limits, ACCOUNT_RATE_LIMITS)."""
    from django.urls import resolve

    from tests.quality.urls_for_matrix import matrices, merged

    posted = {**merged(matrices(), "POST"), **merged(matrices(), "POST_QUERIES")}
    writes = sorted(name for name in posted if not name.startswith("@"))
    unlimited = []
    for name in writes:
        if not _scope(resolve(reverse(name, args=_ARGS.get(name, ()))).func):
            unlimited.append(name)
    assert len(writes) >= 20
    assert unlimited == []


def _scope(view, depth=0):
    """The rate-limit scope of a view, looking inside decorators that do not copy attributes
    (allauth's verified_email_required keeps the view in its closure)."""
    if getattr(view, "rate_limit_scope", None) or depth > 6:
        return getattr(view, "rate_limit_scope", None)
    inner = [getattr(view, "__wrapped__", None)]
    inner += [cell.cell_contents for cell in getattr(view, "__closure__", None) or () if callable(cell.cell_contents)]
    return next((scope for function in inner if function and (scope := _scope(function, depth + 1))), None)


_ARGS = {
    "accounts:organisation_edit": ["x"],
    "accounts:organisation_members": ["x"],
    "accounts:organisation_leave": ["x"],
    "accounts:membership_change": ["x", 1],
    "accounts:invitation_revoke": ["x", 1],
    "notifications:unsubscribe": ["x"],
    "openwall:vote": [1],
    "openwall:follow": [1],
    "openwall:comment_create": [1],
    "openwall:comment_remove": [1],
    "openwall:prioritise": [1],
    "openwall:prioritise_undo": [1],
    "openwall:issue_translate": [1, "nl"],
    "openwall:translation_accept": [1, "nl"],
    "openwall:meetup_rsvp": [1],
    "openwall:meetup_tally": [1],
    "openwall:meetup_attendance": [1],
    "openwall:meetup_record_issue": [1],
    "openwall:issue_edit": [1],
    "openwall:issue_flag": [1],
    "openwall:comment_flag": [1],
    "openwall:comment_edit": [1],
    "calls:proposal_create": [1],
    "calls:proposal_edit": [1],
    "calls:proposal_autosave": [1],
    "calls:proposal_withdraw": [1],
    "calls:attachment_add": [1],
    "calls:attachment_remove": [1, 1],
    "calls:review": [1],
    "calls:review_conflict": [1],
    "calls:reviewer_join": [1, "x"],
}


def test_wrong_passwords_for_deleting_an_account_count(client, settings, citizen):
    """A failed attempt usually costs nothing; guessing a password is exactly what to stop."""
    settings.CIVICNET_RATE_LIMITS = {**settings.CIVICNET_RATE_LIMITS, "account_delete": "2/h"}
    client.force_login(citizen)
    url = reverse("accounts:account_delete")
    for _attempt in range(2):
        assert client.post(url, {"password": "wrong"}).status_code == 200
    assert client.post(url, {"password": "wrong"}).status_code == 429
    citizen.refresh_from_db()
    assert citizen.is_active


def test_data_exports_are_limited_though_each_answers_200(client, settings, citizen):
    settings.CIVICNET_RATE_LIMITS = {**settings.CIVICNET_RATE_LIMITS, "data_export": "1/h"}
    client.force_login(citizen)
    url = reverse("accounts:data_export")
    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 429
