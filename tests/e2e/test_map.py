"""The map in Chromium, against a tile server the test starts on a loopback port (`tile_server`,
tests/e2e/conftest.py): pick a point while raising an issue, see it on the issue's page, find it on the wall's map."""

import pytest

from openwall.models import Issue
from tests.e2e.test_openwall import _sign_in
from tests.factories import IssueFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_places_an_issue_and_finds_it_on_the_wall_map(tile_server, page, live_server, city, screenshot):
    # tile_server first: it stops after the page is closed, not while Leaflet still loads tiles.
    UserFactory(email="amina@example.org", display_name="Amina")
    for n in range(3):
        other = IssueFactory(title=f"Noise from the night shop, report {n}")
        Issue.objects.filter(pk=other.pk).update(latitude=50.8466 + n / 1000, longitude=4.3528)
    _sign_in(page, live_server, "amina@example.org")
    page.goto(f"{live_server.url}/wall/new/")
    page.locator(".map-pick .leaflet-tile-loaded").first.wait_for()
    assert tile_server, "the tiles came from the local tile server"
    page.get_by_label("Title").fill("Loose paving stones on the Place du Jeu de Balle")
    page.get_by_label("Description").fill("Several stones are loose at the market's corner; people trip.")
    page.get_by_label("Theme").select_option(label="Urbanism")
    page.get_by_label("Address").fill("Place du Jeu de Balle, 1000 Brussels")
    page.locator(".map-pick").click(position={"x": 200, "y": 120})
    page.get_by_role("button", name="Remove the point").wait_for()
    screenshot(page, "map-pick")
    page.get_by_role("button", name="Post the issue").click()
    page.get_by_role("heading", level=1, name="Loose paving stones on the Place du Jeu de Balle").wait_for()
    issue = Issue.objects.get(title__startswith="Loose paving")
    assert issue.latitude is not None and 50 < issue.latitude < 52 and 3 < issue.longitude < 6
    page.locator(".map-show .leaflet-marker-icon").wait_for()
    assert page.get_by_text("Place du Jeu de Balle, 1000 Brussels").is_visible()
    screenshot(page, "map-issue")

    page.goto(f"{live_server.url}/wall/")
    page.get_by_role("link", name="Map", exact=True).click()
    page.get_by_text("Issues on the map: 4").wait_for()
    page.locator(".map-wall .marker-cluster, .map-wall .leaflet-marker-icon").first.wait_for()
    screenshot(page, "map-wall")
