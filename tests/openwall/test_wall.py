import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civicnet.city.models import District, Topic
from openwall import services
from openwall.models import Comment, Issue, Vote
from tests.factories import IssueFactory, UserFactory

pytestmark = pytest.mark.django_db


def _titles(response):
    return [issue.title for issue in response.context["page"].object_list]


@pytest.fixture
def wall(city):
    """Four issues whose order differs under each sort."""
    topic, other = Topic.objects.get(slug="urbanism"), Topic.objects.get(slug="healthcare")
    now = timezone.now()
    old_popular = IssueFactory(title="Old popular", topic=topic, vote_count=50, created_at=now - timedelta(days=40))
    newest = IssueFactory(title="Newest", topic=other, created_at=now)
    discussed = IssueFactory(
        title="Discussed",
        topic=topic,
        comment_count=9,
        created_at=now - timedelta(days=3),
        district=District.objects.get(slug="jette"),
    )
    hot = IssueFactory(title="Hot this week", topic=topic, vote_count=5, created_at=now - timedelta(days=10))
    for user in UserFactory.create_batch(5):
        Vote.objects.create(issue=hot, user=user)
    services.trending_refresh()
    return {"old": old_popular, "newest": newest, "discussed": discussed, "hot": hot}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("top", ["Old popular", "Hot this week", "Discussed", "Newest"]),
        ("newest", ["Newest", "Discussed", "Hot this week", "Old popular"]),
        ("discussed", ["Discussed"]),
        ("trending", ["Hot this week"]),
    ],
)
def test_sorts(client, wall, sort, expected):
    titles = _titles(client.get(reverse("openwall:list"), {"sort": sort}))
    assert titles[: len(expected)] == expected


def test_offline_votes_count_towards_the_ranking(client, wall):
    Issue.objects.filter(pk=wall["newest"].pk).update(offline_vote_count=100)
    assert _titles(client.get(reverse("openwall:list")))[0] == "Newest"


def test_filters_by_topic_district_and_status(client, wall):
    assert _titles(client.get(reverse("openwall:list"), {"topic": "healthcare"})) == ["Newest"]
    assert _titles(client.get(reverse("openwall:list"), {"district": "jette"})) == ["Discussed"]
    services.issue_status_set(issue=wall["hot"], by=UserFactory(), status="prioritised")
    assert _titles(client.get(reverse("openwall:list"), {"status": "prioritised"})) == ["Hot this week"]


def test_search_matches_every_word(client, wall):
    IssueFactory(title="Trottoir cassé rue de la Loi", description="Les trottoirs sont dangereux.")
    assert _titles(client.get(reverse("openwall:list"), {"q": "trottoir loi"})) == ["Trottoir cassé rue de la Loi"]
    assert _titles(client.get(reverse("openwall:list"), {"q": "trottoir nowhere"})) == []


def test_bad_filter_values_do_not_break_the_page(client, wall):
    response = client.get(reverse("openwall:list"), {"topic": "nope", "sort": "'; DROP TABLE", "page": "999"})
    assert response.status_code == 200


def test_htmx_filter_returns_only_the_results(client, wall):
    response = client.get(
        reverse("openwall:list"), {"sort": "newest"}, headers={"hx-request": "true", "hx-target": "results"}
    )
    html = response.content.decode()
    assert html.startswith('<div id="results"')
    assert "<html" not in html


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_budget(client, django_assert_max_num_queries, city, citizen, count):
    issues = IssueFactory.create_batch(count)
    for issue in issues:
        Vote.objects.create(issue=issue, user=citizen)
    client.force_login(citizen)
    for sort in ("top", "trending", "newest", "discussed"):
        with django_assert_max_num_queries(10, info=sort):
            response = client.get(reverse("openwall:list"), {"sort": sort})
        assert len(response.context["page"].object_list) == min(count, 20)
    assert response.content.decode().count("vote-button is-voted") == min(count, 20)


@pytest.mark.parametrize("count", [1, 30])
def test_detail_query_budget(client, django_assert_max_num_queries, city, citizen, organiser, count):
    issue = IssueFactory()
    for n in range(count):
        comment = services.comment_create(author=UserFactory(), issue=issue, body=f"Comment {n}")
        services.comment_create(author=UserFactory(), issue=issue, body=f"Reply {n}", parent=comment)
        services.issue_status_set(issue=issue, by=organiser, status="prioritised" if n % 2 else "open")
    client.force_login(citizen)
    with django_assert_max_num_queries(14):
        response = client.get(issue.get_absolute_url())
    html = response.content.decode()
    assert html.count('class="comment"') == 2 * count
    assert html.count('class="timeline-item') == issue.story_steps.count()


@pytest.mark.parametrize("count", [1, 30])
def test_topic_page_query_budget(client, django_assert_max_num_queries, city, count):
    topic = Topic.objects.get(slug="urbanism")
    IssueFactory.create_batch(count, topic=topic)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("openwall:topic_detail", args=["urbanism"]))
    assert len(response.context["issues"]) == min(count, 20)


def test_similar_issues_are_suggested(client, city):
    IssueFactory(title="Dangerous crossing near the school in Jette")
    IssueFactory(title="Market waste left on the square")
    response = client.get(reverse("openwall:issue_similar"), {"title": "dangerous crossing school"})
    html = response.content.decode()
    assert "Dangerous crossing near the school in Jette" in html
    assert "Market waste" not in html
    assert "Vote for this one instead" in html
    assert client.get(reverse("openwall:issue_similar"), {"title": "ab"}).content.strip() == b""


def test_voting_for_a_similar_issue_from_the_raise_form_votes_and_opens_it(client, city, citizen):
    """The suggestion's button posts the raise form itself to the vote (no form inside a form)."""
    similar = IssueFactory(title="Dangerous crossing near the school in Jette")
    client.force_login(citizen)
    html = client.get(reverse("openwall:issue_similar"), {"title": "dangerous crossing school"}).content.decode()
    action = re.search(r'formaction="([^"]+)"', html).group(1).replace("&amp;", "&")
    typed = {"title": "Dangerous crossing at school", "description": "Half typed", "action": "vote"}
    response = client.post(action, typed, HTTP_REFERER="http://testserver/wall/new/")
    assert response["Location"] == similar.get_absolute_url()
    similar.refresh_from_db()
    assert similar.vote_count == 1
    assert not Issue.objects.filter(title="Dangerous crossing at school").exists()


def test_comment_reply_and_notification(client, city, citizen, other_citizen, django_capture_on_commit_callbacks):
    from civicnet.notifications.models import Notification

    issue = IssueFactory()
    client.force_login(citizen)
    client.post(reverse("openwall:comment_create", args=[issue.pk]), {"body": "Same on my street!"})
    comment = Comment.objects.get()
    client.force_login(other_citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("openwall:comment_create", args=[issue.pk]), {"body": "Which street?", "parent": comment.pk}
        )
    reply = Comment.objects.get(parent=comment)
    assert response["Location"].endswith(f"#comment-{reply.pk}")
    issue.refresh_from_db()
    assert issue.comment_count == 2
    notification = Notification.objects.get(recipient=citizen)
    assert notification.kind == "openwall.reply"
    assert notification.url.endswith(f"#comment-{reply.pk}")


def test_empty_comment_is_refused_and_kept_on_the_page(client, city, citizen):
    issue = IssueFactory()
    client.force_login(citizen)
    response = client.post(reverse("openwall:comment_create", args=[issue.pk]), {"body": "   "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.exists()


def test_reply_to_a_comment_of_another_issue_is_404(client, city, citizen):
    issue, other = IssueFactory(), IssueFactory()
    foreign = services.comment_create(author=citizen, issue=other, body="Elsewhere")
    client.force_login(citizen)
    response = client.post(reverse("openwall:comment_create", args=[issue.pk]), {"body": "x", "parent": foreign.pk})
    assert response.status_code == 404


def test_only_organisers_answer_officially(client, city, citizen, organiser):
    issue = IssueFactory()
    client.force_login(citizen)
    response = client.post(
        reverse("openwall:comment_create", args=[issue.pk]), {"body": "I am official", "official": "1"}
    )
    assert response.status_code == 403
    client.force_login(organiser)
    client.post(reverse("openwall:comment_create", args=[issue.pk]), {"body": "We take it on.", "official": "1"})
    assert Comment.objects.get().official
    assert issue.story_steps.filter(kind="official_answer").exists()


def test_comment_edit_window_and_removal(client, city, citizen, outsider):
    issue = IssueFactory()
    comment = services.comment_create(author=citizen, issue=issue, body="Typo hree")
    client.force_login(outsider)
    assert client.post(reverse("openwall:comment_edit", args=[comment.pk]), {"body": "Hijack"}).status_code == 403
    assert client.post(reverse("openwall:comment_remove", args=[comment.pk])).status_code == 403
    client.force_login(citizen)
    client.post(reverse("openwall:comment_edit", args=[comment.pk]), {"body": "Typo here"})
    comment.refresh_from_db()
    assert comment.body == "Typo here"
    assert comment.edited_at is not None
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    assert client.post(reverse("openwall:comment_edit", args=[comment.pk]), {"body": "Late"}).status_code == 403
    client.post(reverse("openwall:comment_remove", args=[comment.pk]))
    assert "Comment removed." in client.get(issue.get_absolute_url()).content.decode()
    assert "Typo here" not in client.get(issue.get_absolute_url()).content.decode()


def test_follow_toggle(client, city, citizen):
    issue = IssueFactory()
    client.force_login(citizen)
    url = reverse("openwall:follow", args=[issue.pk])
    response = client.post(url, headers={"hx-request": "true"})
    assert "Following" in response.content.decode()
    assert issue.follows.filter(user=citizen).exists()
    client.post(url)
    assert not issue.follows.filter(user=citizen).exists()


def test_search_ignores_accents_and_case_on_every_database(client, city):
    IssueFactory(title="Piste vélo interrompue", description="Devant l'École communale.")
    IssueFactory(title="Fietspad Brussel", description="Te smal voor bakfietsen.")
    assert _titles(client.get(reverse("openwall:list"), {"q": "velo"})) == ["Piste vélo interrompue"]
    assert _titles(client.get(reverse("openwall:list"), {"q": "ECOLE velo"})) == ["Piste vélo interrompue"]
    assert _titles(client.get(reverse("openwall:list"), {"q": "Vélo bakfiets"})) == []


@pytest.mark.postgres
def test_search_is_accent_insensitive_and_uses_the_index(client, city):
    from django.db import connection

    IssueFactory(title="Trottoir cassé à Molenbeek", description="Les piétons tombent.")
    IssueFactory(title="Fietspad Brussel", description="Te smal voor bakfietsen.")
    titles = _titles(client.get(reverse("openwall:list"), {"q": "CASSE pieton"}))
    assert titles == ["Trottoir cassé à Molenbeek"]
    assert _titles(client.get(reverse("openwall:list"), {"q": "bakfiets"})) == ["Fietspad Brussel"]  # prefix
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = Issue.objects.search("trottoir").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "openwall_issue_search_document" in plan  # the stored vector's index (migrations 0007, 0022)


@pytest.mark.postgres
def test_search_lives_beside_the_issue_so_that_votes_rewrite_no_search_index(client, city, citizen):
    """A vote rewrites its issue's row into every index of the table (never a HOT update): the
    word and trigram indexes are on openwall_issue_search, kept in step by triggers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'openwall_issue' AND indexdef ~ 'gin'")
        assert cursor.fetchall() == []
    issue = IssueFactory(title="Banc cassé place Flagey", description="Plus personne ne peut s'asseoir.")
    services.vote_toggle(user=citizen, issue=issue)
    assert _titles(client.get(reverse("openwall:list"), {"q": "flagey"})) == ["Banc cassé place Flagey"]
    similar = client.get(reverse("openwall:issue_similar"), {"title": "banc casse place flagey"}).content.decode()
    assert "Banc cassé place Flagey" in similar
    pk = issue.pk
    issue.delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM openwall_issue_search WHERE issue_id = %s", [pk])
        assert cursor.fetchone() == (0,)


@pytest.mark.postgres
def test_search_follows_edits(client, city):
    issue = IssueFactory(title="Lampadaire éteint", description="Rue sombre.")
    assert _titles(client.get(reverse("openwall:list"), {"q": "lampadaire"})) == ["Lampadaire éteint"]
    issue.title = "Straatlamp kapot"
    issue.save()
    assert _titles(client.get(reverse("openwall:list"), {"q": "lampadaire"})) == []
    assert _titles(client.get(reverse("openwall:list"), {"q": "straatlamp"})) == ["Straatlamp kapot"]


@pytest.mark.postgres
def test_similar_issues_use_trigrams(client, city):
    IssueFactory(title="Dangerous crossing near the school in Jette")
    html = client.get(reverse("openwall:issue_similar"), {"title": "Dangerus crosing near scool"}).content.decode()
    assert "Dangerous crossing near the school in Jette" in html  # typos still match


def test_an_unknown_theme_neither_breaks_the_sort_nor_mislabels_it(client, city):
    older = IssueFactory(title="Older but popular")
    services.vote_toggle(user=UserFactory(), issue=older)
    IssueFactory(title="Newer")
    response = client.get(reverse("openwall:list"), {"topic": "nope", "sort": "newest"})
    assert _titles(response) == ["Newer", "Older but popular"]
    assert response.context["current_sort"] == "newest"
    assert '<option value="newest" selected>' in response.content.decode()
    response = client.get(reverse("openwall:list"), {"sort": "sideways"})
    assert response.context["current_sort"] == "top"
    assert _titles(response) == ["Older but popular", "Newer"]
