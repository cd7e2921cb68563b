"""axe-core (carried by the axe-playwright-python package) on every public page and form, at phone
width and at 200 % zoom: no serious or critical violation, and no sideways scrolling."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.factories import PASSWORD, IssueFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = [
    "home",
    "privacy",
    "terms",
    "accounts:organisation_list",
    "account_login",
    "account_signup",
    "account_reset_password",
    "openwall:list",
    "openwall:meetup_list",
]
SIGNED_IN = [
    "accounts:profile",
    "accounts:organisation_create",
    "notifications:list",
    "notifications:preferences",
    "openwall:issue_create",
    "account_email",
    "account_change_password",
    "mfa_index",
]
WIDTHS = [360, 640]  # a phone, and a 1280-pixel window at 200 % zoom


def _check(page, url, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(url)
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    overflow = page.evaluate("document.documentElement.scrollWidth") > width
    return serious, overflow


def test_public_pages(page, live_server, city):
    issue = IssueFactory(title="Dark canal path")
    urls = [reverse(name) for name in PUBLIC] + [
        issue.get_absolute_url(),
        reverse("openwall:topic_detail", args=["urbanism"]),
    ]
    problems = []
    for url in urls:
        for width in WIDTHS:
            serious, overflow = _check(page, live_server.url + url, width)
            problems += [f"{url} @{width}: {item}" for item in serious]
            if overflow:
                problems.append(f"{url} @{width}: scrolls sideways")
    assert problems == []


def test_signed_in_pages(page, live_server, city):
    UserFactory(email="amina@example.org")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("amina@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.locator(".account-menu summary").wait_for()
    problems = []
    for name in SIGNED_IN:
        for width in WIDTHS:
            serious, overflow = _check(page, live_server.url + reverse(name), width)
            problems += [f"{name} @{width}: {item}" for item in serious]
            if overflow:
                problems.append(f"{name} @{width}: scrolls sideways")
    assert problems == []


def test_the_checker_catches_a_real_violation(page):
    """So that an empty result above means 'clean', not 'axe did not run'."""
    page.set_content('<html lang="en"><head><title>t</title></head><body><main><img src="x.png"></main></body></html>')
    ids = {v["id"] for v in Axe().run(page).response["violations"]}
    assert "image-alt" in ids
