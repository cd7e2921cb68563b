"""Going through the wall page by page: every issue once, in order, whatever the sort."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civicnet.city.models import Topic
from openwall.models import Issue
from tests.factories import IssueFactory

pytestmark = pytest.mark.django_db

ORDERS = {
    "top": lambda qs: qs.ranked(),
    "trending": lambda qs: qs.trending(),
    "newest": lambda qs: qs.newest(),
    "discussed": lambda qs: qs.most_discussed(),
}


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """These tests read each response's context, which a page served from the cache has not."""
    settings.CIVICNET_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def crowded_wall(city):
    """57 issues (three pages) with many ties on every sort key, including equal creation times."""
    rng = random.Random(7)
    topic = Topic.objects.get(slug="urbanism")
    moment = timezone.now() - timedelta(days=2)
    for n in range(57):
        IssueFactory(
            title=f"Issue {n:02}",
            topic=topic,
            vote_count=rng.choice([0, 1, 1, 5, 9]),
            offline_vote_count=rng.choice([0, 0, 4]),
            comment_count=rng.choice([0, 2, 2, 7]),
            trend_score=rng.choice([0, 0, 3]),
            created_at=moment + timedelta(hours=rng.choice([0, 0, 1, 5])),
        )


def _walk(client, sort, follow="next_url", start=None):
    """The titles page after page, following the page's own links."""
    response = client.get(start or reverse("openwall:list"), {"sort": sort} if start is None else None)
    titles, numbers = [], []
    while True:
        titles += [issue.title for issue in response.context["page"].object_list]
        numbers.append(response.context["page"].number)
        link = response.context.get(follow)
        if not link:
            return titles, numbers, response
        response = client.get(reverse("openwall:list") + link)


@pytest.mark.parametrize("sort", list(ORDERS))
def test_next_links_show_every_issue_once_in_order(client, crowded_wall, sort):
    expected = list(ORDERS[sort](Issue.objects.public()).values_list("title", flat=True))
    titles, numbers, last = _walk(client, sort)
    assert titles == expected
    assert numbers == [1, 2, 3]
    assert "after=" in last.wsgi_request.get_full_path()  # reached by cursor, not by OFFSET

    # And back again with the Previous links, to the first page's plain address.
    back, numbers, first = _walk(client, sort, follow="previous_url", start=last.wsgi_request.get_full_path())
    assert numbers == [3, 2, 1]
    assert back == expected[40:] + expected[20:40] + expected[:20]
    assert "before=" not in first.wsgi_request.get_full_path()


def test_an_issue_that_climbs_while_you_read_is_not_shown_twice(client, crowded_wall):
    first = client.get(reverse("openwall:list"))
    seen = [issue.title for issue in first.context["page"].object_list]
    climber = Issue.objects.public().ranked()[30]  # on page 2 for now
    Issue.objects.filter(pk=climber.pk).update(vote_count=1000)  # everyone votes for it meanwhile
    second = client.get(reverse("openwall:list") + first.context["next_url"])
    page_two = [issue.title for issue in second.context["page"].object_list]
    assert climber.title not in page_two
    assert not set(seen) & set(page_two)


def test_a_page_emptied_since_its_count_was_kept_shows_without_links(client, crowded_wall, monkeypatch):
    """The total is kept a minute on large lists; issues hidden meanwhile can leave a page empty."""
    from civicnet import pagination

    monkeypatch.setattr(pagination, "EXACT_BELOW", 0)  # keep every count, as for a large list
    client.get(reverse("openwall:list"))  # counts 57
    Issue.objects.filter(pk__in=list(Issue.objects.values_list("pk", flat=True)[:45])).update(hidden=True)
    response = client.get(reverse("openwall:list"), {"page": "2"})  # "2 of 3", but 12 issues are left
    assert response.status_code == 200
    assert not response.context["page"].object_list
    assert "next_url" not in response.context
    assert "previous_url" not in response.context


def test_previous_from_a_stale_link_lands_on_page_one(client, crowded_wall):
    second = client.get(reverse("openwall:list") + client.get(reverse("openwall:list")).context["next_url"])
    first_issue = second.context["page"].object_list[0]
    # A "Previous" link made when page 2 started lower down; only a few issues are before it now.
    ranked = list(Issue.objects.public().ranked())
    stale = ranked[5]
    from openwall.filters import KEYSETS

    response = client.get(reverse("openwall:list"), {"page": "4", "before": KEYSETS["top"].cursor(stale)})
    assert response.context["page"].number == 1
    assert [i.title for i in response.context["page"].object_list] == [i.title for i in ranked[:5]]
    assert "previous_url" not in response.context
    assert first_issue.title not in [i.title for i in response.context["page"].object_list]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "2", "after": "not-a-cursor"},
        {"page": "2", "after": "1~2~3~4"},
        {"page": "2", "after": "99999999999999999999999~1"},
        {"page": "2", "before": "-5~x"},
        {"page": "2", "sort": "newest", "after": "2026-11-30~1"},
        {"page": "2", "sort": "newest", "after": "99999999999999999999~1"},
        {"page": "3", "after": "-1~-1"},  # past the end
    ],
)
def test_a_broken_cursor_falls_back_to_the_page_number(client, crowded_wall, params):
    response = client.get(reverse("openwall:list"), params)
    assert response.status_code == 200
    assert response.context["page"].object_list


def test_a_deep_page_by_cursor_stays_within_the_query_budget(client, crowded_wall, django_assert_max_num_queries):
    first = client.get(reverse("openwall:list"), {"sort": "trending"})
    with django_assert_max_num_queries(10):
        response = client.get(reverse("openwall:list") + first.context["next_url"])
    assert len(response.context["page"].object_list) == 20


@pytest.mark.postgres
@pytest.mark.parametrize(("sort", "index"), [("top", "issue_top_idx"), ("newest", "issue_newest_idx")])
def test_the_cursor_query_starts_on_the_sorts_index(crowded_wall, sort, index):
    from django.db import connection

    from openwall.filters import KEYSETS

    queryset = ORDERS[sort](Issue.objects.public())
    keyset = KEYSETS[sort]
    values = keyset.parse(keyset.cursor(queryset[25]))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        sql, params = keyset.after(queryset, values)[:21].query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan
    assert "Index Cond: (ROW(" in plan


@pytest.mark.parametrize(
    ("opens", "says"),
    [
        (None, "Calls for projects on them have not started yet."),
        (datetime(2027, 3, 1, 10, tzinfo=UTC), "Calls for projects on them open from March 1, 2027."),
        (datetime(2026, 1, 1, tzinfo=UTC), '<a href="/calls/">See the calls</a>'),
    ],
    ids=["no call", "a call opens later", "a call is open"],
)
def test_the_wall_and_the_raise_form_say_what_becomes_of_a_top_issue(client, city, citizen, organiser, opens, says):
    """From where the calls for projects stand (calls' stage, from the data), never a promise."""
    from calls.services import call_open
    from tests.factories import CallFactory

    if opens is not None:
        call = CallFactory(issues=[IssueFactory()], opens_at=opens, closes_at=opens + timedelta(days=400))
        call_open(call=call, by=organiser)
        CallFactory(title="A draft says nothing", opens_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert says in client.get(reverse("openwall:list")).content.decode()
    client.force_login(citizen)
    assert says in client.get(reverse("openwall:issue_create")).content.decode()
