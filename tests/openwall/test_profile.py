"""A person's profile lists what they did on the Open Wall, each thing linking to its page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from openwall import services
from openwall.models import Issue, Meetup
from tests.factories import IssueFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _list(html: str, title: str) -> list[str]:
    """The link texts of the list under the heading `title` (or its "None yet." note)."""
    block = re.search(rf">{re.escape(title)}</h3>(.*?)</section>", html, re.S).group(1)
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', block) if "<ul" in block else ["none"]


def test_the_profile_lists_issues_raised_voted_followed_and_meetups(client, city, citizen):
    mine = IssueFactory(author=citizen, title="My broken lamp")
    theirs = IssueFactory(title="Their noisy bar")
    hidden = IssueFactory(author=citizen, title="My hidden one")
    services.vote_toggle(user=citizen, issue=theirs)  # voting follows it too
    Issue.objects.filter(pk=hidden.pk).update(hidden=True)
    start = timezone.now() + timedelta(days=2)
    meetup = Meetup.objects.create(
        title="Tuesday at Rue Haute",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        address="Rue Haute 1",
        host=OrganisationFactory(),
    )
    services.meetup_registration_toggle(user=citizen, meetup=meetup)
    client.force_login(citizen)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert _list(html, "Issues you raised") == ["My broken lamp"]
    assert _list(html, "Issues you vote for") == ["Their noisy bar"]
    assert _list(html, "Issues you follow") == ["Their noisy bar", "My broken lamp"]
    assert _list(html, "Meetups you registered for") == ["Tuesday at Rue Haute"]
    assert f'href="{mine.get_absolute_url()}"' in html and f'href="{meetup.get_absolute_url()}"' in html


def test_a_newcomer_is_told_where_to_start(client, city):
    client.force_login(UserFactory())
    html = client.get(reverse("accounts:profile")).content.decode()
    assert _list(html, "Issues you raised") == ["none"]
    assert 'href="/wall/new/">Raise an issue</a>' in html
