"""Where an issue is: an address anyone can type, a point on a map where the site has a tile
server, and no map (and no other host asked for anything) where it has none."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicnet.city.models import CityProfile, Topic
from civicnet.city.services import CityPackError, city_pack_validate
from civicnet.maps import tile_origin
from openwall.models import Issue
from tests.factories import IssueFactory

pytestmark = pytest.mark.django_db

TILES = "http://127.0.0.1:8765/{z}/{x}/{y}.png"


def _raise(client, **place):
    data = {
        "title": "Broken paving stones on the square",
        "description": "Several stones are loose; people trip over them every day.",
        "topic": Topic.objects.get(slug="urbanism").pk,
        "district": "",
        "language": "en",
        "website_url": "",
        **place,
    }
    return client.post(reverse("openwall:issue_create"), data)


def test_an_issue_carries_an_address_and_a_point(client, city, citizen):
    client.force_login(citizen)
    response = _raise(client, address="  Place du Jeu de Balle   1 ", latitude="50.8357", longitude="4.3454")
    issue = Issue.objects.get()
    assert response["Location"] == issue.get_absolute_url()
    assert (issue.address, issue.latitude, issue.longitude) == ("Place du Jeu de Balle 1", 50.8357, 4.3454)
    assert "Place du Jeu de Balle 1" in client.get(issue.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("place", "error"),
    [
        ({"latitude": "50.8", "longitude": ""}, "The point on the map is incomplete: pick it again."),
        ({"latitude": "95", "longitude": "4.3"}, "The point on the map is not on Earth: pick it again."),
        ({"latitude": "50.8", "longitude": "x"}, "The point on the map is not readable: pick it again."),
    ],
)
def test_a_broken_point_is_explained_and_nothing_is_saved(client, city, citizen, place, error):
    client.force_login(citizen)
    response = _raise(client, address="Rue Haute 12", **place)
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert 'value="Rue Haute 12"' in page  # what was typed stays
    assert not Issue.objects.exists()


def test_without_a_tile_server_no_page_has_a_map_or_asks_another_host(client, city, citizen):
    issue = IssueFactory(address="Rue Blaes 40")
    Issue.objects.filter(pk=issue.pk).update(latitude=50.84, longitude=4.35)
    pages = [reverse("openwall:list"), issue.get_absolute_url()]
    client.force_login(citizen)
    pages.append(reverse("openwall:issue_create"))
    for url in pages:
        html = client.get(url).content.decode()
        assert "data-map" not in html and "leaflet" not in html
        assert not any(host in html for host in ("openstreetmap", "http://127.0.0.1"))
    assert "Rue Blaes 40" in client.get(issue.get_absolute_url()).content.decode()
    assert client.get(reverse("openwall:map")).status_code == 404
    assert client.get(reverse("openwall:map_points")).status_code == 404


def test_with_a_tile_server_the_pages_have_maps_centred_on_the_city(client, city, citizen, settings):
    settings.CIVICNET_MAP_TILES = TILES
    issue = IssueFactory()
    Issue.objects.filter(pk=issue.pk).update(latitude=50.8357, longitude=4.3454)
    client.force_login(citizen)
    form = client.get(reverse("openwall:issue_create")).content.decode()
    assert 'data-map="pick"' in form and f'data-tiles="{TILES}"' in form
    assert 'data-lat="50.846700" data-lng="4.352500" data-zoom="12"' in form  # the Brussels pack's centre
    page = client.get(issue.get_absolute_url()).content.decode()
    assert 'data-map="show"' in page and 'data-point-lat="50.8357"' in page
    assert "vendor/leaflet/leaflet.js" in page
    wall = client.get(reverse("openwall:list"), {"topic": issue.topic.slug}).content.decode()
    assert f'href="/wall/map/?topic={issue.topic.slug}"' in wall


@pytest.mark.parametrize("count", [1, 3])
def test_the_map_lists_the_filtered_public_issues_with_a_point(client, city, settings, count):
    settings.CIVICNET_MAP_TILES = TILES
    settings.CIVICNET_PAGE_CACHE_SECONDS = 0
    culture = Topic.objects.get(slug="culture")
    placed = [IssueFactory(topic=culture, title=f"Placed {n}") for n in range(count)]
    Issue.objects.filter(pk__in=[issue.pk for issue in placed]).update(latitude=50.85, longitude=4.35)
    IssueFactory(topic=culture, title="Nowhere in particular")
    hidden = IssueFactory(topic=culture, hidden=True)
    elsewhere = IssueFactory(topic=Topic.objects.get(slug="urbanism"))
    Issue.objects.filter(pk__in=[hidden.pk, elsewhere.pk]).update(latitude=50.8, longitude=4.3)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("openwall:map_points"), {"topic": "culture"})
    assert len(queries) == 2  # the theme asked for, the points: nothing per issue
    points = json.loads(response.content)["issues"]
    assert sorted(point["title"] for point in points) == [f"Placed {n}" for n in range(count)]
    assert points[0]["url"] == f"/wall/{points[0]['id']}/"
    assert client.get(reverse("openwall:map"), {"topic": "culture"}).status_code == 200


def test_the_csp_lets_tiles_come_from_the_tile_host_alone():
    assert tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://tile.openstreetmap.org"
    assert tile_origin("https://{s}.tiles.example.org:8443/{z}/{x}/{y}.png") == "https://*.tiles.example.org:8443"
    with pytest.raises(ValueError, match="MAP_TILES"):
        tile_origin("tiles.example.org/{z}/{x}/{y}.png")
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    env = {**os.environ, "SECRET_KEY": "x", "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "civicnet.settings"}
    without = subprocess.run(
        [sys.executable, "-c", code], env={**env, "MAP_TILES": ""}, capture_output=True, text=True, check=True
    )
    with_tiles = subprocess.run(
        [sys.executable, "-c", code], env={**env, "MAP_TILES": TILES}, capture_output=True, text=True, check=True
    )
    assert without.stdout.strip() == "[\"'self'\", 'data:']"
    assert with_tiles.stdout.strip() == "[\"'self'\", 'data:', 'http://127.0.0.1:8765']"


def test_the_pack_gives_the_map_centre_and_refuses_a_wrong_one(city):
    profile = CityProfile.current()
    assert (profile.map_latitude, profile.map_longitude, profile.map_zoom) == (50.8467, 4.3525, 12)
    from civicnet.city.services import city_pack_read

    pack = city_pack_read(name="brussels")
    pack["city"]["map"] = {"latitude": 150, "longitude": 4.35, "zoom": 12}
    with pytest.raises(CityPackError, match=r"city\.map"):
        city_pack_validate(pack=pack)
