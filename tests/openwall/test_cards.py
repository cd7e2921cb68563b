"""The wall's cards are worth reading: the first words, who raised it, where, the votes in one
column; an issue can be shared; following looks different from not following."""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps

from civicnet.city.models import District, Topic
from openwall import services
from openwall.models import Issue, Meetup
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _card(html: str, title: str) -> str:
    return re.search(rf'<li class="issue-card">(?:(?!</li>\s*<li).)*?{re.escape(title)}.*?</li>', html, re.S).group(0)


@pytest.fixture
def raised(city, citizen):
    description = "The **lamps** along the canal path are off since October & people avoid it. " + "word " * 40
    return services.issue_create(
        author=citizen,
        title="No light on the canal path",
        description=description,
        topic=Topic.objects.get(slug="urbanism"),
        district=District.objects.order_by("pk").first(),
        language="en",
    )


def test_a_card_shows_the_first_words_as_text_the_author_the_place_and_the_comments(client, raised, citizen):
    services.comment_create(author=UserFactory(), issue=raised, body="Same near the bridge")
    card = _card(client.get("/wall/").content.decode(), "No light on the canal path")
    excerpt = re.search(r'<p class="issue-excerpt" lang="en">(.*?)</p>', card, re.S).group(1)
    assert excerpt.startswith("The lamps along the canal path are off since October &amp; people avoid it.")
    assert excerpt.endswith("…") and "<strong>" not in excerpt and "**" not in excerpt
    assert len(excerpt.split()) == 30
    assert f"By {citizen.public_name}" in card
    assert raised.district.name in card and "Urbanism" in card and "1 comment" in card


def test_an_issue_raised_at_a_meetup_says_so_instead_of_naming_the_facilitator(client, raised, citizen):
    meetup = Meetup.objects.create(
        title="Tuesday at Rue Haute",
        starts_at=raised.created_at,
        ends_at=raised.created_at + timedelta(hours=2),
        address="Rue Haute 1",
        host=OrganisationFactory(),
    )
    Issue.objects.filter(pk=raised.pk).update(meetup=meetup)
    card = _card(client.get("/wall/").content.decode(), "No light on the canal path")
    assert "Raised at a meetup" in card and citizen.public_name not in card


def test_the_excerpt_follows_an_edit(client, raised, citizen):
    services.issue_update(
        issue=raised, by=citizen, title=raised.title, description="Only *this* now.", topic=raised.topic
    )
    assert Issue.objects.get(pk=raised.pk).excerpt == "Only this now."


def test_issues_raised_before_the_excerpt_get_one(raised):
    Issue.objects.update(excerpt="")
    migration = importlib.import_module("openwall.migrations.0013_fill_excerpts")
    migration.fill_excerpts(apps, None)
    assert Issue.objects.get(pk=raised.pk).excerpt.startswith("The lamps along the canal path")


def test_an_issue_page_offers_sharing_and_following_shows_it_is_on(client, raised, citizen):
    html = client.get(raised.get_absolute_url()).content.decode()
    # Hidden until the script finds a share sheet or a clipboard (tests/e2e checks it appears).
    assert re.search(r'<button type="button"[^>]*data-share-url="/wall/\d+/"[^>]*hidden>Share</button>', html)
    client.force_login(citizen)  # the author follows their own issue
    html = client.get(raised.get_absolute_url()).content.decode()
    assert re.search(
        r'class="button button-small follow-button" aria-pressed="true"><span aria-hidden="true">✓ </span>Following',
        html,
    )
