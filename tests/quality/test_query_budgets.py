"""Every view's exact number of queries, measured with 1 and with 3 of everything a page might
list: a view whose count grows with the data (an N+1) fails, and so does one that changes by
accident. The counts are written down per app, beside its matrix rows (tests/<app>/matrix.py:
QUERIES for pages, POST_QUERIES for writes), for the persona named there."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civicnet.accounts.services import ORGANISATION_VERIFIED
from civicnet.notifications.services import notify
from openwall import services as wall_services
from openwall.models import Meetup
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.quality.urls_for_matrix import build, matrices, merged

pytestmark = pytest.mark.django_db

MATRICES = matrices()
QUERIES = merged(MATRICES, "QUERIES")
POST = merged(MATRICES, "POST")
POST_QUERIES = merged(MATRICES, "POST_QUERIES")


def _grow(world, count):
    """`count` more of each thing a page lists: issues, comments and replies, meetups,
    organisations and members, notifications."""
    people = world["people"]
    neighbour = UserFactory(display_name="Neighbour")
    now = timezone.now()
    for n in range(count):
        issue = wall_services.issue_create(
            author=neighbour,
            title=f"Another problem number {n}",
            description="Described well enough to be raised.",
            topic=world["issue"].topic,
            language="en",
        )
        wall_services.vote_toggle(user=people["citizen"], issue=issue)
        comment = wall_services.comment_create(author=neighbour, issue=world["issue"], body=f"Comment {n}")
        wall_services.comment_create(author=people["citizen"], issue=world["issue"], body="Reply", parent=comment)
        Meetup.objects.create(
            title=f"Meetup {n}",
            starts_at=now + timedelta(days=n + 1),
            ends_at=now + timedelta(days=n + 1, hours=2),
            address="Rue Haute 1",
            host=world["house"],
        )
        other = OrganisationFactory(verified=True, circle=world["house"].circle)
        MembershipFactory(organisation=other, user=people["citizen"])
        MembershipFactory(organisation=world["house"])
        notify(recipient=people["citizen"], kind=ORGANISATION_VERIFIED.key, data={"organisation": "X"}, url="/")


def _count(client, method, url, data=None) -> int:
    ContentType.objects.clear_cache()  # counted every time, not only in the first test of a process
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code < 500, url
    return len(queries)


def test_every_page_with_a_budget_is_a_page():
    assert set(QUERIES) <= set(merged(MATRICES, "GET"))
    assert set(POST_QUERIES) <= set(POST)


@pytest.mark.parametrize("count", [1, 3])
def test_pages_cost_the_same_queries_with_1_or_3_of_everything(client, world, count, settings):
    """Each page as it is rendered (stored pages off): what a first visitor, or one after a
    change, costs. What a stored page costs is tested in tests/core/test_pagecache.py and
    test_personal.py, also with 1 and 3."""
    settings.CIVICNET_PAGE_CACHE_SECONDS = 0
    _grow(world, count)
    urls = build(world)
    got = {}
    for name, (persona, _expected) in QUERIES.items():
        client.logout()
        if persona != "anonymous":
            client.force_login(world["people"][persona])
        _count(client, "get", urls[name])  # warm: sessions, the city, the static manifest
        got[name] = _count(client, "get", urls[name])
    wrong = {name: got[name] for name, (_persona, expected) in QUERIES.items() if got[name] != expected}
    assert wrong == {}, f"measured with {count} of everything"


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("name", sorted(POST_QUERIES))
def test_writes_cost_the_same_queries_with_1_or_3_of_everything(client, world, name, count):
    _grow(world, count)
    persona, expected = POST_QUERIES[name]
    if name.startswith("@"):
        url_of, data, _codes = POST[name]
        url = url_of(world)
    else:
        data, _codes = POST[name]
        url = build(world)[name]
    data = data(world) if callable(data) else data
    client.force_login(world["people"][persona])
    assert _count(client, "post", url, data) == expected
