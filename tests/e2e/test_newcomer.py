"""A newcomer's first visit, in Chromium on a phone and on a laptop: the home page leads to the
wall in one click; raising an issue asks them to join; they sign up with a public name and the
terms, confirm their address, are welcomed, raise an issue with a photo and a place, and share it."""

import re

import pytest
from PIL import Image

from civicnet.accounts.models import User
from openwall.models import Issue
from tests.e2e.conftest import ARTIFACTS, LAPTOP, PHONE
from tests.e2e.test_journeys import sign_up_and_confirm
from tests.factories import IssueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_newcomer_goes_from_the_home_page_to_sharing_their_first_issue(
    tile_server, page, live_server, city, viewport, tmp_path
):
    IssueFactory(title="Broken street lights on Chaussée de Gand")
    photo = tmp_path / "pavement.jpg"
    Image.new("RGB", (1600, 1200), "#8a7f72").save(photo, "JPEG")
    page.set_viewport_size(viewport)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.add_init_script("delete Navigator.prototype.share")  # Chromium on Linux: copy the link

    page.goto(live_server.url)
    page.get_by_role("link", name="See what others raised").first.click()
    page.get_by_role("link", name="Broken street lights on Chaussée de Gand").wait_for()
    assert page.url.rstrip("/").endswith("/wall")  # the wall, in one click
    page.get_by_role("link", name="Raise an issue").first.click()

    page.get_by_role("link", name=re.compile("sign up", re.I)).first.click()
    sign_up_and_confirm(page, "Sanne", "sanne@example.org")
    page.get_by_role("heading", level=1, name="Welcome, Sanne").wait_for()
    _snap(page, "newcomer-welcome", viewport)
    assert User.objects.get(email="sanne@example.org").terms_accepted_at is not None
    page.get_by_role("link", name="Continue where you were going").click()  # raising an issue

    page.get_by_label("Title").fill("Loose paving stones on the Place du Jeu de Balle")
    page.get_by_label("Description").fill("Several stones are loose at the market's corner; people trip.")
    page.get_by_label("Theme").select_option(label="Urbanism")
    page.get_by_label("Photo").set_input_files(str(photo))
    page.get_by_label("Address").fill("Place du Jeu de Balle, 1000 Brussels")
    page.locator(".map-pick .leaflet-tile-loaded").first.wait_for()
    page.locator(".map-pick").click(position={"x": 150, "y": 100})
    page.get_by_role("button", name="Remove the point").wait_for()
    page.get_by_role("button", name="Post the issue").click()

    page.get_by_role("heading", level=1, name="Loose paving stones on the Place du Jeu de Balle").wait_for()
    issue = Issue.objects.get(title__startswith="Loose paving")
    assert (issue.author.display_name, issue.address) == ("Sanne", "Place du Jeu de Balle, 1000 Brussels")
    assert issue.latitude is not None and issue.photo_sizes  # the point, and the thumbnails made on upload
    page.wait_for_function("() => document.querySelector('img.issue-photo')?.naturalWidth > 0")
    message = page.locator(".message").filter(has_text="Your issue is on the wall")
    message.get_by_role("button", name="Share").click()
    message.get_by_role("status").filter(has_text="Link copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}{issue.get_absolute_url()}"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    _snap(page, "newcomer-shared", viewport)


def _snap(page, name, viewport):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    label = "phone" if viewport == PHONE else "laptop"
    page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
