"""Every view renders within a fixed number of queries, with little data and with more."""

import pytest
from django.urls import reverse

from civicnet.accounts import services as account_services
from civicnet.accounts.services import ORGANISATION_VERIFIED
from civicnet.city.models import Topic
from civicnet.notifications.services import notify
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(city, citizen, organisation):
    """Add `count` of everything a page might list: topics, organisations, members, notifications."""

    def add(count):
        Topic.objects.bulk_create(
            Topic(slug=f"extra-{n}", name_i18n={"fr": f"T{n}", "nl": f"T{n}", "en": f"T{n}"}) for n in range(count)
        )
        for other in OrganisationFactory.create_batch(count):
            MembershipFactory(organisation=other, user=citizen)
        MembershipFactory.create_batch(count, organisation=organisation)
        for _ in range(count):
            notify(recipient=citizen, kind=ORGANISATION_VERIFIED.key, data={"organisation": "X"}, url="/")

    return add


def _views(organisation, invitation, notification_pk):
    slug = organisation.slug
    return [
        # (method, url, signed in, query budget)
        # The Open Wall's section: top issues, meetups, themes, and its figures (three counts, kept ten
        # minutes); where the calls stand (one query).
        ("get", reverse("home"), False, 7),
        ("get", reverse("home"), True, 7),
        ("get", reverse("privacy"), False, 1),
        ("get", reverse("terms"), False, 1),
        ("get", reverse("city_css"), False, 1),
        ("get", reverse("healthz"), False, 1),
        ("post", reverse("language_switch"), True, 4),
        ("get", reverse("accounts:organisation_create"), True, 8),
        ("get", reverse("accounts:organisation_edit", args=[slug]), True, 8),
        ("get", invitation.get_absolute_url(), True, 6),
        ("get", reverse("notifications:preferences"), True, 6),
        ("post", reverse("notifications:read_all"), True, 4),
        ("get", reverse("notifications:open", args=[notification_pk]), True, 5),
    ]


@pytest.mark.parametrize("count", [1, 30])
def test_views_stay_within_budget_as_data_grows(
    client, django_assert_max_num_queries, grow, citizen, organisation, count
):
    grow(count)
    invitation = account_services.invitation_create(
        organisation=organisation, by=citizen, email=citizen.email.replace("@", "+x@"), role="member"
    )
    notification = notify(recipient=citizen, kind=ORGANISATION_VERIFIED.key, data={}, url="/")
    for method, url, signed_in, budget in _views(organisation, invitation, notification.pk):
        client.logout()
        if signed_in:
            client.force_login(citizen)
        data = {"language": "nl", "next": "/"} if url == reverse("language_switch") else {}
        with django_assert_max_num_queries(budget, info=url):
            response = getattr(client, method)(url, data)
        assert response.status_code in (200, 302), url


def test_home_lists_every_active_topic(client, grow):
    grow(30)
    Topic.objects.filter(slug="extra-0").update(active=False)
    response = client.get(reverse("home"))
    assert response.content.decode().count('class="topic-card"') == 9 + 29


def test_unrelated_user_sees_no_other_notifications(client, grow):
    grow(5)
    client.force_login(UserFactory())
    assert "X is now verified" not in client.get(reverse("notifications:list")).content.decode()
