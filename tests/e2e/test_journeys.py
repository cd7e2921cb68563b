import re

import pytest
from django.core import mail

from civicnet.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long enough passphrase 7"


@pytest.mark.parametrize(
    ("code", "heading", "theme"),
    [
        ("fr", "Réparons Bruxelles ensemble", "Santé"),
        ("nl", "Samen Brussel verbeteren", "Gezondheid"),
        ("en", "Fix Brussels together", "Healthcare"),
    ],
)
def test_home_page_in_three_languages(page, live_server, city, screenshot, code, heading, theme):
    page.goto(live_server.url)
    page.get_by_role("button", name=re.compile(code.upper())).click()
    assert page.locator("html").get_attribute("lang") == code
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.get_by_role("heading", name=theme).is_visible()
    assert page.locator(".topic-card").count() == 9
    # No horizontal scrolling at phone width.
    page.set_viewport_size({"width": 360, "height": 780})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, f"home-{code}")


def test_skip_link_is_the_first_stop_and_moves_focus(page, live_server, city):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def sign_up_and_confirm(page, name, email, *, sent=lambda: None):
    """From the sign-up form to the confirmed address, as a newcomer does it (`sent`: called on
    the page that says the link is on its way)."""
    page.get_by_label("Public name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\)")).fill(PASSWORD)
    page.get_by_label("I accept the terms of use").check()
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    sent()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()


def test_sign_up_verify_and_sign_in_through_the_forms(page, live_server, city, screenshot):
    page.goto(f"{live_server.url}/accounts/signup/")
    screenshot(page, "signup")
    sign_up_and_confirm(page, "Lena", "lena@example.org", sent=lambda: screenshot(page, "verification-sent"))
    assert len(mail.outbox) == 1
    page.get_by_role("heading", level=1, name="Welcome, Lena").wait_for()
    screenshot(page, "welcome")
    assert User.objects.get(email="lena@example.org").emailaddress_set.get().verified

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").first.click()
    screenshot(page, "login")
    page.get_by_label("Email").fill("lena@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.locator(".account-menu summary").wait_for()
    assert page.locator(".account-menu summary").inner_text() == "Lena"
    screenshot(page, "home-signed-in")


def test_register_an_organisation(page, live_server, city, screenshot):
    from tests.factories import PASSWORD as FACTORY_PASSWORD
    from tests.factories import UserFactory

    UserFactory(email="pieter@example.org", display_name="Pieter")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("pieter@example.org")
    page.get_by_label("Password").fill(FACTORY_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.locator(".account-menu summary").wait_for()

    page.goto(f"{live_server.url}/organisations/new/")
    page.get_by_role("button", name="Register").click()
    assert page.get_by_text("Please correct the errors below.").is_visible()
    screenshot(page, "organisation-form-errors")
    page.get_by_label("Name").fill("Buurtlab Jette")
    page.get_by_label("Kind").select_option("civic_innovator")
    page.get_by_label("Description").fill("We map repair cafés with residents.")
    page.get_by_role("button", name="Register").click()
    page.get_by_role("heading", name="Buurtlab Jette").wait_for()
    assert page.get_by_text("Awaiting verification by the organisers").is_visible()
    screenshot(page, "organisation-detail")
