"""A Dutch-speaking reader in Chromium sees a French issue in Dutch, marked as a translation."""

import pytest

from civicnet.city.models import Topic
from openwall import services
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_dutch_reader_sees_the_dutch_translation_of_a_french_issue(browser, live_server, city, screenshot):
    author = UserFactory(display_name="Camille")
    issue = services.issue_create(
        author=author,
        title="Trottoirs encombrés rue Haute",
        description="Les terrasses prennent tout le trottoir ; les poussettes passent sur la route.",
        topic=Topic.objects.get(slug="urbanism"),
        language="fr",
    )
    services.translation_propose(
        issue=issue,
        by=author,
        language="nl",
        title="Volle stoepen in de Hoogstraat",
        description="De terrassen nemen het hele voetpad in; kinderwagens rijden op de weg.",
    )
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-BE")
    page = context.new_page()
    page.goto(f"{live_server.url}/wall/")
    page.get_by_role("link", name="Volle stoepen in de Hoogstraat").click()
    page.get_by_role("heading", level=1, name="Volle stoepen in de Hoogstraat").wait_for()
    assert page.locator("h1").get_attribute("lang") == "nl"
    assert page.get_by_text("Vertaald uit het Frans.").is_visible()
    screenshot(page, "issue-translated")
    page.get_by_role("link", name="Toon het origineel").click()
    page.get_by_role("heading", level=1, name="Trottoirs encombrés rue Haute").wait_for()
    context.close()
