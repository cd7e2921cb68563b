"""Raise an issue, vote and comment with the keyboard alone: Tab, type, Enter, Space."""

import pytest

from openwall.models import Comment, Issue
from tests.factories import PASSWORD, IssueFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tab_to(page, predicate_js: str, limit: int = 80):
    """Press Tab until the focused element matches; fail if it never does (unreachable by keyboard)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({predicate_js}); }})()"):
            return
    raise AssertionError(f"never reached by Tab: {predicate_js}")


def test_keyboard_only_journey(page, live_server, city):
    UserFactory(email="kim@example.org", display_name="Kim")
    other = IssueFactory(title="Potholes near the school")

    page.goto(f"{live_server.url}/accounts/login/")
    _tab_to(page, "el.name === 'login'")
    page.keyboard.type("kim@example.org")
    _tab_to(page, "el.name === 'password'")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.locator(".account-menu summary").wait_for()

    # Raise an issue.
    page.goto(f"{live_server.url}/wall/new/")
    _tab_to(page, "el.name === 'title'")
    page.keyboard.type("Broken lift at Clemenceau metro")
    _tab_to(page, "el.name === 'description'")
    page.keyboard.type("The lift has been out of order for weeks; wheelchairs cannot reach the platform.")
    _tab_to(page, "el.name === 'topic'")
    page.keyboard.press("ArrowDown")  # first theme
    _tab_to(page, "el.type === 'submit' && el.closest('main')")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Broken lift at Clemenceau metro").wait_for()
    assert Issue.objects.filter(title="Broken lift at Clemenceau metro").exists()

    # Vote for another issue, then comment on it.
    page.goto(f"{live_server.url}{other.get_absolute_url()}")
    _tab_to(page, "el.classList.contains('vote-button')")
    page.keyboard.press("Space")
    page.locator(".vote-button.is-voted").wait_for()
    assert Issue.objects.get(pk=other.pk).vote_count == 1
    _tab_to(page, "el.name === 'body'")
    page.keyboard.type("Same on my way to school every morning.")
    _tab_to(page, "el.type === 'submit' && el.textContent.trim() === 'Comment'")
    page.keyboard.press("Enter")
    page.get_by_text("Same on my way to school every morning.").wait_for()
    assert Comment.objects.filter(issue=other, body="Same on my way to school every morning.").exists()
    # Focus stays visible: the focused element draws an outline.
    _tab_to(page, "el.tagName === 'A'")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
