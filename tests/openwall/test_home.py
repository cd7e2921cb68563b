"""The home page leads to the wall: what people support this week, the next meetups, honest
figures, the themes, and where each phase of the cycle stands, all from the data."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from civicnet import phases
from civicnet.city.models import Topic
from civicnet.views import cycle
from openwall import services
from openwall.home import FIGURES_KEY, count_figures
from openwall.models import Issue, Meetup
from tests.factories import IssueFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _meetup(days: int, published=True) -> Meetup:
    start = timezone.now() + timedelta(days=days)
    return Meetup.objects.create(
        title=f"Meetup in {days} days",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        address="Rue Haute 1",
        host=OrganisationFactory(),
        published=published,
    )


@pytest.fixture
def wall(city):
    """Three voters, two public issues and a hidden one, paper votes, a comment, three meetups."""
    amina, bram, chloe, dirk = (UserFactory(display_name=name) for name in ("Amina", "Bram", "Chloé", "Dirk"))
    lamp = IssueFactory(author=amina, title="Broken lamp")
    bench = IssueFactory(author=amina, title="Broken bench")
    hidden = IssueFactory(author=dirk, title="Spam")
    for voter in (bram, chloe):
        services.vote_toggle(user=voter, issue=lamp)
    services.vote_toggle(user=bram, issue=bench)
    services.vote_toggle(user=bram, issue=hidden)
    services.vote_toggle(user=UserFactory(display_name="Eve"), issue=hidden)  # takes part in nothing public
    Issue.objects.filter(pk=hidden.pk).update(hidden=True)  # hidden by the moderators since
    Issue.objects.filter(pk=lamp.pk).update(offline_vote_count=5)
    services.comment_create(author=dirk, issue=bench, body="Same here")
    _meetup(-7)  # held
    _meetup(3)
    _meetup(-30, published=False)  # never announced: not counted
    return {"lamp": lamp, "bench": bench}


def test_the_figures_count_what_happened_and_nothing_hidden(wall):
    # Two public issues; 2 + 1 online votes and 5 on paper (the hidden issue's vote not counted);
    # one published meetup held; Amina raised, Bram and Chloé voted, Dirk commented (Eve voted only
    # for the hidden issue).
    assert count_figures() == {"issues": 2, "votes": 8, "meetups": 1, "people": 4}


def test_home_leads_to_the_wall_and_shows_this_weeks_support(client, wall):
    Issue.objects.filter(pk=wall["bench"].pk).update(trend_score=9)
    Issue.objects.filter(pk=wall["lamp"].pk).update(trend_score=4)
    html = client.get(reverse("home")).content.decode()
    actions = re.search(r'<p class="hero-actions">(.*?)</p>', html, re.S).group(1)
    assert 'href="/wall/new/">Raise an issue</a>' in actions and 'href="/wall/">See what others raised</a>' in actions
    assert html.index("Broken bench") < html.index("Broken lamp")  # by this week's support
    assert "Spam" not in html
    assert "Meetup in 3 days" in html and "Meetup in -7 days" not in html
    assert re.search(r"<strong>2</strong> issues raised", html) and re.search(r"<strong>8</strong> votes", html)
    assert re.search(r"<strong>4</strong> people taking part", html)
    for topic in Topic.objects.active():
        assert f'href="/wall/themes/{topic.slug}/">{topic.name}</a>' in html


def test_a_week_without_votes_says_so(client, city):
    IssueFactory(title="Quiet issue")
    html = client.get(reverse("home")).content.decode()
    assert "Nobody has voted this week yet." in html and "Quiet issue" not in html
    assert "No meetup is planned yet." in html


def test_a_new_issue_shows_on_the_stored_home_page_at_once(client, wall):
    client.get(reverse("home"))
    supported = IssueFactory(title="Noisy bar on the square")  # raising it drops the stored wall pages
    Issue.objects.filter(pk=supported.pk).update(trend_score=50)
    assert "Noisy bar on the square" in client.get(reverse("home")).content.decode()


def test_the_figures_are_kept_ten_minutes(client, wall):
    client.get(reverse("home"))
    assert cache.get(FIGURES_KEY)["issues"] == 2


def test_each_phase_says_where_it_stands_from_its_app(client, city):
    steps = {step["number"]: step["stage"] for step in cycle(phases.stages())}
    assert steps[1] == phases.Stage(phases.Stage.RUNNING, url="/wall/")
    assert [steps[n].state for n in (2, 3, 4, 5)] == [phases.Stage.NOT_STARTED] * 4  # not installed
    html = client.get(reverse("home")).content.decode()
    assert html.count("Not started yet") == 4 and html.count("Running now") == 1


def test_a_phase_announced_for_later_says_next_with_its_date():
    from datetime import date

    steps = cycle({2: phases.Stage(phases.Stage.NEXT, date=date(2027, 3, 1))})
    assert steps[1]["stage"].date == date(2027, 3, 1) and steps[0]["stage"].state == phases.Stage.NOT_STARTED


def test_a_registration_shows_in_the_places_taken_on_the_stored_home_page(client, city):
    meetup = _meetup(3)
    Meetup.objects.filter(pk=meetup.pk).update(capacity=10)
    client.get(reverse("home"))  # stores it (the update above dropped nothing; the create did)
    services.meetup_registration_toggle(user=UserFactory(), meetup=meetup)
    assert "1 of 10 places taken" in client.get(reverse("home")).content.decode()
