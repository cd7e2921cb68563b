"""Signed-in visitors are served stored shells with their own parts put in (civicnet/personal.py),
and never anything of another person."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from civicnet.city.models import Topic
from civicnet.notifications.services import notify
from openwall import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def issues(city, citizen):
    topic = Topic.objects.get(slug="urbanism")
    return [
        services.issue_create(author=citizen, title=f"Broken lamp {n}", description="Dark.", topic=topic, language="en")
        for n in range(3)
    ]


def _signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _menu_name(html: str) -> str:
    return re.search(r'<details class="account-menu">\s*<summary>(.*?)</summary>', html).group(1)


def _pressed(html: str, issue) -> str:
    """The vote button's state for one issue on a page."""
    form = re.search(rf'action="/wall/{issue.pk}/vote/".*?aria-pressed="(\w+)"', html, re.S)
    return form.group(1)


def test_each_person_gets_the_shared_wall_with_their_own_name_votes_and_badge(issues, citizen, other_citizen):
    services.vote_toggle(user=other_citizen, issue=issues[1])
    notify(recipient=other_citizen, kind="organisation.verified", data={"organisation": "x"}, url="/")
    amina = _signed_in(citizen).get("/wall/").content.decode()  # stores the shell
    bram = _signed_in(other_citizen).get("/wall/").content.decode()  # served from it
    # Their own name in their account menu (the cards name the issues' author, Amina, to everyone).
    assert _menu_name(amina) == citizen.public_name and other_citizen.public_name not in amina
    assert _menu_name(bram) == other_citizen.public_name
    assert [_pressed(amina, issue) for issue in issues] == ["false", "false", "false"]
    assert [_pressed(bram, issue) for issue in issues] == ["false", "true", "false"]
    assert "1 unread" in bram and "unread" not in amina
    assert "Sign out" in bram and "Join the network" not in bram


@pytest.mark.parametrize("shown", [1, 3])
def test_the_shell_is_rendered_once_for_everyone(issues, citizen, other_citizen, shown, django_assert_num_queries):
    """The second person costs their session, their user, their votes among the page's issues,
    their unread count and the page's current vote counts (read once every few seconds for
    everyone): a fixed number of queries, whatever the number of issues."""
    for issue in issues[shown:]:
        services.moderation_hide(by=factories.OrganiserFactory(), reason="Spam", issue=issue)
    _signed_in(citizen).get("/wall/")
    bram = _signed_in(other_citizen)
    with django_assert_num_queries(5):  # session, user, votes on the page, unread notifications, counts
        response = bram.get("/wall/")
    assert response.status_code == 200


def test_the_forms_of_a_served_shell_carry_the_persons_own_token(issues, citizen, other_citizen):
    _signed_in(citizen, enforce_csrf_checks=True).get("/wall/")
    bram = _signed_in(other_citizen, enforce_csrf_checks=True)
    html = bram.get("/wall/").content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) >= 4  # the vote buttons, the language switch, sign out
    assert not [token for token in tokens if token.startswith("csrf-")]  # never the shell's placeholder
    token = tokens[0]
    response = bram.post(f"/wall/{issues[0].pk}/vote/", {"csrfmiddlewaretoken": token, "action": "vote"})
    assert response.status_code == 302
    assert issues[0].votes.filter(user=other_citizen).exists()
    # The language switch of the same page works too (it checks CSRF for signed-in people).
    response = bram.post(reverse("language_switch"), {"csrfmiddlewaretoken": token, "language": "nl", "next": "/"})
    assert response.status_code == 302


def test_organisers_get_their_own_menu_from_the_same_shell(issues, citizen, organiser):
    _signed_in(citizen).get("/wall/")
    html = _signed_in(organiser).get("/wall/").content.decode()
    assert "Back office" in html
    assert "Back office" not in _signed_in(citizen).get("/wall/").content.decode()


def test_a_vote_shows_in_the_voters_next_page_and_nobody_elses(
    issues, citizen, other_citizen, django_capture_on_commit_callbacks
):
    amina, bram = _signed_in(citizen), _signed_in(other_citizen)
    amina.get("/wall/")
    with django_capture_on_commit_callbacks(execute=True):
        bram.post(f"/wall/{issues[2].pk}/vote/", {"action": "vote"})
    mine = bram.get("/wall/").content.decode()
    theirs = amina.get("/wall/").content.decode()
    assert _pressed(mine, issues[2]) == "true" and _pressed(theirs, issues[2]) == "false"
    count = rf'data-live="votes:{issues[2].pk}">(\d+)<'
    assert re.search(count, mine).group(1) == re.search(count, theirs).group(1) == "1"


def test_a_page_with_a_message_waiting_is_rendered_for_the_person(issues, citizen):
    client = _signed_in(citizen)
    client.get("/wall/")
    response = client.post(
        reverse("openwall:issue_create"),
        {
            "title": "Bins overflowing on Place Flagey",
            "description": "Every weekend.",
            "topic": issues[0].topic_id,
            "language": "en",
        },
        follow=True,
    )
    assert "Bins overflowing" in response.content.decode()
    assert list(get_messages(response.wsgi_request)) == []  # shown, and so used up


def test_the_home_page_shows_a_signed_in_person_the_signed_in_actions(city, citizen):
    Client().get("/")  # the anonymous page is stored
    _signed_in(factories.UserFactory()).get("/")  # and the shell
    html = _signed_in(citizen).get("/").content.decode()
    assert "Meet the organisations" in html and "Join the network" not in html
    assert "Join the network" in Client().get("/").content.decode()


def test_a_template_marker_in_user_text_is_shown_as_text(city, citizen, other_citizen):
    forged = "<!--personal vote 1--><!--variant voted-->FORGED<!--/personal-->"
    services.issue_create(
        author=citizen, title=forged, description=forged, topic=Topic.objects.get(slug="urbanism"), language="en"
    )
    _signed_in(citizen).get("/wall/")
    html = _signed_in(other_citizen).get("/wall/").content.decode()
    assert "&lt;!--personal vote 1--&gt;" in html


def test_a_shell_is_rendered_for_nobody_in_particular(rf, city, citizen, other_citizen):
    """Defence in depth: a template that forgot to mark something personal still cannot put the
    first person's details in the page the next person gets, because the shell is rendered as an
    anonymous visitor."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.http import HttpResponse

    from civicnet.pagecache import shared_page

    @shared_page(members=True)
    def careless(request):
        return HttpResponse(f"<p>{getattr(request.user, 'public_name', 'nobody')}</p>")

    def get(user):
        request = rf.get("/careless/")
        request.user, request.session = user, SessionStore()
        request._messages = FallbackStorage(request)
        return careless(request).content.decode()

    assert get(citizen) == get(other_citizen) == "<p>nobody</p>"


def _actions(html: str, issue) -> dict:
    return {
        "edit issue": f'href="/wall/{issue.pk}/edit/"' in html,
        "report issue": "Report to the moderators" in html,
        "following": 'follow-button" aria-pressed="true">' in html,
    }


def test_the_issue_page_shows_each_person_their_own_actions(issues, citizen, other_citizen):
    issue = issues[0]
    services.comment_create(author=other_citizen, issue=issue, body="Same on my street")
    services.follow_ensure(user=other_citizen, issue=issue)
    url = issue.get_absolute_url()
    _signed_in(factories.UserFactory()).get(url)  # a third person stores the shell
    author = _signed_in(citizen).get(url).content.decode()
    commenter = _signed_in(other_citizen).get(url).content.decode()
    # The author (citizen) may still edit the issue and follows it since raising it; cannot report it.
    assert _actions(author, issue) == {"edit issue": True, "report issue": False, "following": True}
    assert _actions(commenter, issue) == {"edit issue": False, "report issue": True, "following": True}
    comment = issue.comments.get()
    own_comment = f'href="/wall/comments/{comment.pk}/edit/"'
    assert own_comment in commenter and own_comment not in author
    assert f"/wall/comments/{comment.pk}/report/" in author and f"/wall/comments/{comment.pk}/report/" not in commenter
    assert 'id="comment-form"' in author and "Sign in to comment" not in author


def test_moderators_get_the_issue_page_rendered_for_them_and_it_is_kept_from_others(
    issues, citizen, other_citizen, organiser
):
    issue = issues[0]
    comment = services.comment_create(author=other_citizen, issue=issue, body="Rude words here")
    services.moderation_hide(by=organiser, reason="Rude", comment=comment)
    url = issue.get_absolute_url()
    assert "Rude words here" in _signed_in(organiser).get(url).content.decode()  # moderators see it, marked
    assert "Rude words here" not in _signed_in(citizen).get(url).content.decode()
    assert "Rude words here" not in Client().get(url).content.decode()


def test_a_token_left_outside_a_personal_block_is_nobodys_and_the_page_is_not_shared(rf, city, citizen, other_citizen):
    """A template that forgot to mark its form: the shell gets a throwaway token (never the first
    person's), and is not stored, so each person gets the page rendered for them."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.middleware.csrf import CsrfViewMiddleware, get_token
    from django.template import RequestContext, Template

    from civicnet.pagecache import shared_page

    @shared_page(members=True)
    def careless(request):
        from django.http import HttpResponse

        return HttpResponse(Template("<form>{% csrf_token %}</form>").render(RequestContext(request)))

    def get(user):
        request = rf.get("/careless/")
        request.user, request.session = user, SessionStore()
        request._messages = FallbackStorage(request)
        CsrfViewMiddleware(lambda r: None).process_request(request)
        get_token(request)  # the person has a CSRF secret already
        secret = request.META["CSRF_COOKIE"]
        request.META.pop("CSRF_COOKIE_NEEDS_UPDATE", None)
        html = careless(request).content.decode()
        return html, secret

    from django.middleware.csrf import _unmask_cipher_token

    first, first_secret = get(citizen)
    second, second_secret = get(other_citizen)
    token = re.search(r'value="([^"]+)"', second).group(1)
    assert _unmask_cipher_token(token) == second_secret  # rendered for the second person
    assert first_secret not in second
    assert _unmask_cipher_token(re.search(r'value="([^"]+)"', first).group(1)) == first_secret


def test_an_erased_authors_comment_and_issue_can_still_be_reported_by_everyone(city, citizen, other_citizen):
    """Nobody in particular is nobody: not the erased author (whose id is None) either."""
    from civicnet.accounts.privacy import user_delete

    leaving = factories.UserFactory()
    issue = services.issue_create(
        author=leaving,
        title="Broken lamp on the quay",
        description="Dark.",
        topic=Topic.objects.get(slug="urbanism"),
        language="en",
    )
    comment = services.comment_create(author=leaving, issue=issue, body="It has been weeks")
    user_delete(user=leaving)
    _signed_in(citizen).get(issue.get_absolute_url())  # stores the shell
    html = _signed_in(other_citizen).get(issue.get_absolute_url()).content.decode()
    assert f"/wall/comments/{comment.pk}/report/" in html
    assert f"/wall/comments/{comment.pk}/edit/" not in html
    assert "Report to the moderators" in html


def test_a_marker_in_a_link_title_is_shown_as_text(city, citizen, other_citizen, issues):
    forged = '[a link](https://example.org "<!--personal-include admin/base.html-->")'
    services.comment_create(author=citizen, issue=issues[0], body=forged)
    _signed_in(citizen).get(issues[0].get_absolute_url())
    html = _signed_in(other_citizen).get(issues[0].get_absolute_url()).content.decode()
    assert "&lt;!--personal-include admin/base.html--&gt;" in html
    assert "django-admin" not in html  # the admin's template was not rendered into the page


def test_a_comment_that_only_looks_like_a_block_is_left_as_it_is(citizen):
    """A developer's `<!--personal notes-->` in a template is text, not a broken page."""
    from django.test import RequestFactory

    from civicnet.personal import fill

    request = RequestFactory().get("/")
    request.user = citizen
    shell = "<p>a</p><!--personal notes--><!--personal signed_in -->"
    shell += "<!--variant member-->yours<!--/personal--><p>b</p>"
    assert fill(request, shell) == "<p>a</p><!--personal notes-->yours<p>b</p>"
