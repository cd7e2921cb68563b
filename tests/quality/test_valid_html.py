"""Every page is valid HTML: the W3C Nu HTML Checker (vnu-jar, from the npm registry, on Java)
reads every page of the permission matrix as a visitor, a citizen and an organiser see it.

htmx's attributes are written `hx-*`, which the checker reports as unknown; those reports, and
only those, are left out (htmx reads `data-hx-*` too, but every template would pay for it)."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import service_missing
from tests.quality.test_permission_matrix import GET
from tests.quality.urls_for_matrix import build

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
VNU = Path(os.environ.get("VNU_JAR", ROOT / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar"))
HTMX_ATTRIBUTE = re.compile(r"^Attribute “hx-[a-z-]+” not allowed on element")


def _java() -> str:
    java = shutil.which("java")
    if not java or not VNU.is_file():
        service_missing(f"the Nu HTML Checker (java and {VNU}; `make test` installs it)")
    return java


def _errors(pages: dict[Path, str]) -> list[str]:
    """The checker's errors on the files `pages` names ({path: what it is}), htmx's attributes aside."""
    result = subprocess.run(
        [_java(), "-Xss4m", "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = result.stderr  # the checker writes its JSON report to stderr
    assert report.lstrip().startswith("{"), report[-2000:]
    return [
        f"{pages[Path(message['url'].removeprefix('file:'))]} line {message.get('lastLine')}: {message['message']}"
        for message in json.loads(report)["messages"]
        if not HTMX_ATTRIBUTE.match(message["message"])
    ]


def _pages(client, world, tmp_path) -> dict[Path, str]:
    urls = build(world)
    pages = {}
    for persona in ("anonymous", "citizen", "organiser"):
        client.logout()
        if persona != "anonymous":
            client.force_login(world["people"][persona])
        for name in GET:
            response = client.get(urls[name])
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            if not response.content.lstrip().startswith(b"<!DOCTYPE html>"):
                continue  # an htmx fragment: checked inside its page (test_htmx_answers_are_valid_where_they_land)
            path = tmp_path / f"{persona}-{re.sub(r'[^a-z0-9]+', '-', name.lower())}.html"
            path.write_bytes(response.content)
            pages[path] = f"{name} ({persona})"
    return pages


def test_every_page_passes_the_nu_html_checker(client, world, tmp_path):
    _java()
    pages = _pages(client, world, tmp_path)
    assert len(pages) >= 40
    errors = _errors(pages)
    assert errors == [], "\n".join(errors)


def _swapped(page: str, target_id: str, fragment: str, *, outer: bool) -> str:
    """The page as htmx leaves it once `fragment` has replaced the target (or its content)."""
    start = page.index(f'id="{target_id}"')
    opening = page.rindex("<", 0, start)
    inner_start = page.index(">", start) + 1
    closing = page.index("</div>", inner_start)
    if outer:
        return page[:opening] + fragment + page[closing + len("</div>") :]
    return page[:inner_start] + fragment + page[closing:]


def test_htmx_answers_are_valid_where_they_land(client, world, tmp_path):
    """A fragment is checked inside the page it is swapped into: the similar issues inside the
    issue form (no form may nest there), the paper-vote picker inside the meetup's form."""
    from django.urls import reverse

    from tests.factories import IssueFactory

    _java()
    IssueFactory(title="Broken street lights on the canal path")
    meetup = world["meetup"]
    client.force_login(world["people"]["citizen"])  # administers the house that hosts the meetup
    form = client.get(reverse("openwall:issue_create")).content.decode()
    similar = client.get(reverse("openwall:issue_similar"), {"title": "street lights canal"}).content.decode()
    assert "Vote for this one instead" in similar
    detail = client.get(meetup.get_absolute_url()).content.decode()
    pick = client.get(reverse("openwall:meetup_issue_pick", args=[meetup.pk]), {"tally-search": "street"})
    assert 'type="radio"' in pick.content.decode()
    pages = {
        tmp_path / "similar.html": _swapped(form, "similar", similar, outer=False),
        tmp_path / "pick.html": _swapped(detail, "tally-choices", pick.content.decode(), outer=True),
    }
    for path, html in pages.items():
        path.write_text(html)
    errors = _errors({path: path.name for path in pages})
    assert errors == [], "\n".join(errors)


def test_pages_with_maps_are_valid_too(client, world, tmp_path, settings):
    """With a tile server the raise form, a placed issue's page and the wall's map carry maps."""
    from django.urls import reverse

    from openwall.models import Issue

    _java()
    settings.CIVICNET_MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    issue = world["issue"]
    Issue.objects.filter(pk=issue.pk).update(latitude=50.85, longitude=4.35, address="Rue Haute 1")
    client.force_login(world["people"]["citizen"])
    pages = {}
    for name, url in (
        ("raise", reverse("openwall:issue_create")),
        ("issue", issue.get_absolute_url()),
        ("map", reverse("openwall:map")),
    ):
        html = client.get(url).content.decode()
        assert "data-map=" in html
        pages[tmp_path / f"{name}.html"] = html
    for path, html in pages.items():
        path.write_text(html)
    errors = _errors({path: path.name for path in pages})
    assert errors == [], "\n".join(errors)
