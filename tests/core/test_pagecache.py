"""Anonymous visitors are served stored pages, and never an old or someone else's one."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from civicnet.accounts.privacy import user_delete
from civicnet.city.models import Topic
from openwall import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(city, citizen):
    return services.issue_create(
        author=citizen,
        title="Streetlights out on Rue Haute",
        description="Dark for a week.",
        topic=Topic.objects.get(slug="urbanism"),
        language="en",
    )


def test_a_second_anonymous_visit_costs_at_most_the_live_counts_query(client, issue, django_assert_num_queries):
    """A stored page is served without rendering: one query for the vote counts it shows
    (whatever their number), and none while those counts were read in the last seconds."""
    # The wall reads the issue's count; the next pages find it read a moment ago.
    pages = {reverse("home"): 0, reverse("openwall:list"): 1, "/wall/?sort=newest": 0, issue.get_absolute_url(): 0}
    first = {url: client.get(url).content for url in pages}
    for url, queries in pages.items():
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200
        assert response.content == first[url]
    for url in pages:
        with django_assert_num_queries(0):
            assert client.get(url).content == first[url]


@pytest.mark.parametrize("issues", [1, 3])
def test_a_stored_wall_reads_its_counts_in_one_query(client, city, citizen, issues, django_assert_num_queries):
    topic = Topic.objects.get(slug="urbanism")
    for n in range(issues):
        services.issue_create(author=citizen, title=f"Broken lamp {n}", description="Dark.", topic=topic, language="en")
    client.get("/wall/")
    with django_assert_num_queries(1):
        client.get("/wall/")
    with django_assert_num_queries(0):  # the counts were read a moment ago
        client.get("/wall/")


def test_shared_pages_carry_no_personal_token(client, issue):
    response = client.get(reverse("openwall:list"))
    assert "csrftoken" not in response.cookies
    assert b"csrfmiddlewaretoken" not in response.content
    # Switching language still works without one.
    response = client.post(reverse("language_switch"), {"language": "nl", "next": "/wall/"})
    assert response.status_code == 302
    assert "Open Muur" in client.get("/wall/").content.decode()


def test_a_signed_in_language_switch_is_checked_for_csrf(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    response = client.post(reverse("language_switch"), {"language": "nl", "next": "/"})
    assert response.status_code == 403
    citizen.refresh_from_db()
    assert citizen.preferred_language != "nl"


def test_each_language_gets_its_own_page(client, issue):
    english = client.get("/wall/", headers={"accept-language": "en"}).content.decode()
    french = client.get("/wall/", headers={"accept-language": "fr"}).content.decode()
    assert 'lang="en"' in english
    assert 'lang="fr"' in french


def test_a_new_issue_is_on_the_wall_at_once(client, issue, city, other_citizen):
    assert b"Broken bench" not in client.get("/wall/?sort=newest").content
    services.issue_create(
        author=other_citizen,
        title="Broken bench in Parc Josaphat",
        description="Split in two.",
        topic=Topic.objects.get(slug="urbanism"),
        language="en",
    )
    assert b"Broken bench" in client.get("/wall/?sort=newest").content


def test_a_comment_shows_at_once_on_the_issue(client, issue, other_citizen):
    url = issue.get_absolute_url()
    assert b"Same on my street" not in client.get(url).content
    services.comment_create(author=other_citizen, issue=issue, body="Same on my street")
    assert b"Same on my street" in client.get(url).content


def _count(html: str, issue) -> str:
    return re.search(rf'data-live="votes:{issue.pk}">(\d+)<', html).group(1)


def test_a_vote_shows_at_once_on_the_issue_and_the_wall_without_dropping_them(
    client, issue, other_citizen, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """A vote does not throw the pages away (a popular issue would be rendered again and again
    while people vote): the stored page is served, with the count read afresh once the vote
    is committed."""
    pages = [issue.get_absolute_url(), "/wall/", "/wall/?sort=newest"]
    assert [_count(client.get(url).content.decode(), issue) for url in pages] == ["0", "0", "0"]
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_toggle(user=other_citizen, issue=issue)
    for url, queries in zip(pages, [1, 0, 0], strict=True):
        # Served from the store (a render costs many more queries): the first reads the new count.
        with django_assert_num_queries(queries):
            html = client.get(url).content.decode()
        assert _count(html, issue) == "1"
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_toggle(user=other_citizen, issue=issue)  # taken back
    assert _count(client.get(pages[0]).content.decode(), issue) == "0"


def test_only_the_sites_own_markup_is_filled_in(client, issue, other_citizen):
    """Someone writing the marker in a comment gets their text shown as they wrote it."""
    forged = f'<span class="vote-count" data-live="votes:{issue.pk}">999</span>'
    services.comment_create(author=other_citizen, issue=issue, body=forged)
    client.get(issue.get_absolute_url())
    services.vote_toggle(user=other_citizen, issue=issue)
    html = client.get(issue.get_absolute_url()).content.decode()
    assert _count(html, issue) == "1"
    assert "999</span>" not in html  # escaped, so never a real element
    assert "999" in html


def test_a_hidden_issue_leaves_at_once(client, issue, organiser):
    url = issue.get_absolute_url()
    assert issue.title.encode() in client.get("/wall/").content
    assert client.get(url).status_code == 200
    services.moderation_hide(by=organiser, reason="Spam", issue=issue)
    assert issue.title.encode() not in client.get("/wall/").content
    assert client.get(url).status_code == 404


def test_a_deleted_account_name_leaves_at_once(client, issue, citizen):
    url = issue.get_absolute_url()
    assert b"Amina" in client.get(url).content
    user_delete(user=citizen)
    page = client.get(url).content
    assert b"Amina" not in page
    assert b"Former participant" in page


def test_a_renamed_theme_shows_at_once(client, issue, city):
    assert b"Urbanism" in client.get("/wall/").content
    topic = Topic.objects.get(slug="urbanism")
    topic.name_i18n = {**topic.name_i18n, "en": "Town planning"}
    topic.save()
    assert b"Town planning" in client.get("/wall/").content


def test_signed_in_people_never_get_a_stored_page_nor_leave_theirs(client, issue, citizen, other_citizen):
    services.vote_toggle(user=citizen, issue=issue)
    assert "Sign out" not in client.get(issue.get_absolute_url()).content.decode()  # stored for anonymous visitors
    client.force_login(citizen)
    mine = client.get(issue.get_absolute_url()).content.decode()
    assert "Sign out" in mine
    assert 'aria-pressed="true"' in mine  # their own vote
    client.logout()
    other = Client()
    other.force_login(other_citizen)
    theirs = other.get(issue.get_absolute_url()).content.decode()
    assert "Bram" in theirs
    assert 'aria-pressed="false"' in theirs  # not the first one's vote
    anonymous = Client().get(issue.get_absolute_url()).content.decode()
    assert "Sign out" not in anonymous
    assert "Bram" not in anonymous


def test_a_waiting_message_is_shown_not_a_stored_page(client, citizen):
    client.get("/")  # stored
    client.force_login(citizen)
    response = client.post(reverse("account_logout"), follow=True)
    assert response.status_code == 200
    assert "You have signed out" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_page_rendered_before_a_commit_is_not_kept_after_it(city, citizen):
    """A visitor who renders the page while a write is not yet committed sees the old text; that
    page must not be served once the write is committed."""
    import threading

    from django.db import connection, transaction

    issue = factories.IssueFactory(author=citizen, title="Flooded underpass")
    url = issue.get_absolute_url()
    seen = []

    def visit():  # another visitor, on another database connection
        seen.append(Client().get(url).content)
        connection.close()

    with transaction.atomic():
        services.issue_update(
            issue=issue, by=citizen, title="Flooded underpass at Midi", description="Again.", topic=issue.topic
        )
        visitor = threading.Thread(target=visit)
        visitor.start()
        visitor.join()
    assert b"Flooded underpass" in seen[0]
    assert b"at Midi" not in seen[0]
    assert b"Flooded underpass at Midi" in Client().get(url).content


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/wall/?q=" + "x" * 600, {}),  # too long
        ("/wall/?utm_source=newsletter", {}),  # a parameter the wall does not read
        ("/wall/", {"HX-Request": "true", "HX-Target": "made-up"}),  # a fragment it does not serve
    ],
)
def test_made_up_addresses_are_rendered_not_kept(client, issue, url, headers, django_assert_max_num_queries):
    client.get(url, headers=headers)
    with django_assert_max_num_queries(10) as queries:
        assert client.get(url, headers=headers).status_code == 200
    assert len(queries) > 0


def test_the_wall_fragment_htmx_asks_for_is_kept_apart(client, issue, django_assert_num_queries):
    full = client.get("/wall/?sort=newest").content
    fragment = client.get("/wall/?sort=newest", headers={"HX-Request": "true", "HX-Target": "results"}).content
    assert fragment != full
    assert fragment.lstrip().startswith(b'<div id="results"')
    with django_assert_num_queries(1):  # stored: the live vote counts only
        again = client.get("/wall/?sort=newest", headers={"HX-Request": "true", "HX-Target": "results"})
    assert again.content == fragment


def test_a_bump_the_cache_missed_is_made_before_the_next_page(client, issue, organiser, monkeypatch):
    """Redis blinks while a moderator hides an issue: the hidden issue must not come back with it."""
    from civicnet import pagecache

    assert issue.title.encode() in client.get("/wall/").content
    real = pagecache.counters_incr
    monkeypatch.setattr(pagecache, "counters_incr", lambda *args, **kwargs: None)
    services.moderation_hide(by=organiser, reason="Spam", issue=issue)
    monkeypatch.setattr(pagecache, "counters_incr", real)
    assert issue.title.encode() not in client.get("/wall/").content


def test_head_requests_are_answered(client):
    assert client.head("/").status_code == 200


def test_a_profile_saved_without_a_new_name_keeps_the_stored_pages(
    client, issue, citizen, other_citizen, django_assert_num_queries
):
    from civicnet.accounts.services import profile_update

    client.get(issue.get_absolute_url())
    profile_update(user=other_citizen, display_name=other_citizen.display_name, preferred_language="nl")
    with django_assert_num_queries(1):  # stored: the live vote counts only
        client.get(issue.get_absolute_url())

    profile_update(user=citizen, display_name="Amina B.", preferred_language="en")  # the author's new name
    assert b"Amina B." in client.get(issue.get_absolute_url()).content
