"""Another city from its pack alone: Havenstad (a made-up Dutch-and-English city with seven
themes, `civicnet/city/packs/havenstad.json`, no demo content of its own) loaded on a fresh
database, then `seed_demo`. Nothing of Brussels may show in any page or email."""

import html
import json
import re
import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from civicnet.accounts.models import User
from civicnet.city.models import CityProfile, District, Topic, site_language_codes
from civicnet.city.services import CityPackError, city_pack_load, pack_path
from civicnet.notifications.tasks import send_weekly_digests
from openwall.models import Issue, Meetup
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "civicnet-demo"


def _brussels_words() -> list[str]:
    """Every name the Brussels pack and its demo give: the city, its communes, its demo's
    organisations, in every language (read from the files, not listed by hand)."""
    pack = json.loads(pack_path("brussels").read_text())
    demo = json.loads((pack_path("brussels").parent / "demo" / "brussels.json").read_text())
    words = {*pack["city"]["name"].values(), *pack["city"]["network_name"].values(), "Rue Haute", "Marolles"}
    for district in pack["districts"]:
        words.update(district["name"].values())
    words.update(organisation["name"] for organisation in demo["core"]["organisations"])
    for forms in pack["city"]["area_word"].values():
        words.update(forms.values())
    words.discard("Forest")  # the commune's French name is also an English word
    return sorted(words, key=len, reverse=True)


BRUSSELS = re.compile("|".join(rf"\b{re.escape(word)}\b" for word in _brussels_words()), re.IGNORECASE)


@pytest.fixture
def havenstad(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--city", "havenstad", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return CityProfile.current()


def _brussels_in(text: str) -> list[str]:
    return sorted({match.group(0) for match in BRUSSELS.finditer(text)})


SKIP = ("/static/", "/media/", "/admin/", "/accounts/logout/", "/language/", "/accounts/confirm-email/")
LINK = re.compile(r'href="(/[^"#?]*)')


def _crawl(client, *, limit=150) -> dict[str, str]:
    """Every page of this site reachable from the home page by links, at most `limit`."""
    queue, seen, pages = ["/"], set(), {}
    while queue and len(pages) < limit:
        path = html.unescape(queue.pop(0))
        if path in seen or path.startswith(SKIP):
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code in (200, 301, 302), f"{path}: {response.status_code}"
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[path] = response.content.decode()
            queue.extend(LINK.findall(pages[path]))
    return pages


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "innovator", "partner", "reviewer", "organiser"])
def test_no_page_names_brussels_for_any_persona(client, havenstad, persona):
    if persona != "anonymous":
        client.force_login(User.objects.get(email=f"{persona}@demo.civicnet.test"))
    pages = _crawl(client)
    assert len(pages) > 25  # the wall, the issues, the meetups, the network, the account pages
    assert {"/", "/wall/", "/privacy/", "/terms/"} <= set(pages)
    found = {path: _brussels_in(page) for path, page in pages.items() if _brussels_in(page)}
    assert found == {}
    assert all("Havenstad" in page for page in pages.values())


def test_the_site_offers_exactly_the_packs_languages(client, havenstad):
    assert site_language_codes() == ["nl", "en"]
    page = client.get("/", headers={"accept-language": "fr-BE,fr;q=0.9"}).content.decode()
    assert '<html lang="nl">' in page  # no French: the city's default language instead
    assert re.findall(r'name="language" value="(\w+)"', page) == ["nl", "en"]
    assert '<html lang="en">' in client.get("/", headers={"accept-language": "en"}).content.decode()
    client.cookies["django_language"] = "fr"  # an old cookie from another civicnet
    assert '<html lang="nl">' in client.get("/wall/").content.decode()


def test_the_area_word_and_the_theme_count_follow_the_pack(client, havenstad):
    wall = client.get("/wall/", headers={"accept-language": "nl"}).content.decode()
    assert '<label for="id_district">Wijk</label>' in wall
    assert '<option value="">Alle wijken</option>' in wall
    wall_en = client.get("/wall/", headers={"accept-language": "en"}).content.decode()
    assert '<label for="id_district">Neighbourhood</label>' in wall_en
    home = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert len(re.findall(r'class="topic-icon"', home)) == 7
    assert Topic.objects.count() == 7
    # The districts' names, sorted in the reader's language.
    options = re.findall(r'<option value="[a-z-]+"[^>]*>([^<]+)</option>', wall_en.split('id="id_district"')[1])
    assert options[:6] == ["Lindenhof", "Mill Quarter", "Old Harbour", "South Quay", "Ter Beke", "The Docks"]


def test_the_generic_demo_is_told_in_the_citys_names_and_languages(havenstad):
    issues = Issue.objects.all()
    assert issues.count() == 9  # the generic demo's eight, and one raised at its meetup
    assert {issue.language for issue in issues} == {"nl", "en"}
    assert Issue.objects.filter(title="Kapotte stoepen rond het station van Dokken").exists()
    meetup = Meetup.objects.order_by("starts_at").first()
    assert meetup.address == "Buurthuis, Molenwijk"  # the third district by slug
    assert User.objects.get(email="citizen@demo.civicnet.test").preferred_language == "nl"  # no French here


def test_emails_name_the_network_not_brussels(client, havenstad, django_capture_on_commit_callbacks):
    seeded = len(mail.outbox)  # the demo's own notifications, sent by seed_demo
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "display_name": "Sanne",
                "email": "sanne@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "accept_terms": "on",
            },
            headers={"accept-language": "nl"},
        )
        client.post(reverse("account_reset_password"), {"email": "innovator@demo.civicnet.test"})
    with django_capture_on_commit_callbacks(execute=True):
        send_weekly_digests.apply().get()
    assert seeded >= 1 and len(mail.outbox) >= seeded + 3
    confirmation = next(message for message in mail.outbox if message.to == ["sanne@example.org"])
    assert "Hallo van Havenstad Maakt!" in confirmation.body
    for message in mail.outbox:
        bodies = [message.subject, message.body, *(body for body, _type in getattr(message, "alternatives", []))]
        assert [_brussels_in(text) for text in bodies] == [[] for _ in bodies], message.subject


def test_the_admin_is_the_networks_and_edits_texts_in_the_citys_languages(client, havenstad):
    client.force_login(User.objects.get(email="organiser@demo.civicnet.test"))
    index = client.get(reverse("admin:index"), headers={"accept-language": "en"}).content.decode()
    assert "Havenstad Makes back office" in index
    topic = Topic.objects.get(slug="wonen")
    url = reverse("admin:city_topic_change", args=[topic.pk])
    form = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert re.findall(r'name="name__(\w+)"', form) == ["nl", "en"]  # no French box
    response = client.post(
        url,
        {
            "slug": "wonen",
            "name__nl": "Wonen en buurt",
            "name__en": "Housing",
            "description__nl": "",
            "description__en": "Homes.",
            "icon": "urbanism",
            "order": 1,
            "active": "on",
        },
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.name_i18n == {"nl": "Wonen en buurt", "en": "Housing"}
    assert topic.description_i18n == {"en": "Homes."}  # an emptied box drops that language's text


def test_times_are_in_the_packs_time_zone(client, tmp_path):
    pack = json.loads(pack_path("havenstad").read_text())
    pack["city"]["time_zone"] = "Atlantic/Reykjavik"  # UTC all year: one hour from Brussels in winter
    path = tmp_path / "reykjavik.json"
    path.write_text(json.dumps(pack))
    shutil.copytree(pack_path("havenstad").parent / "havenstad", tmp_path / "havenstad")  # its own icon
    call_command("seed_demo", "--city", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    meetup = Meetup.objects.order_by("starts_at").first()
    Meetup.objects.filter(pk=meetup.pk).update(
        starts_at=datetime(2026, 12, 10, 18, 30, tzinfo=ZoneInfo("UTC")),
        ends_at=datetime(2026, 12, 10, 20, 0, tzinfo=ZoneInfo("UTC")),
    )
    page = client.get(meetup.get_absolute_url(), headers={"accept-language": "en"}).content.decode()
    assert "10 December 2026, 18:30" in page and "20:00" in page


def test_another_pack_is_never_loaded_over_a_city(havenstad):
    before = (list(District.objects.values_list("slug", flat=True)), Issue.objects.count())
    with pytest.raises(CityPackError) as excinfo:
        city_pack_load(name="brussels")
    assert excinfo.value.errors == [
        "this database serves the city pack 'havenstad', not 'brussels': load a city's pack on a fresh "
        "database (docs/city-packs.md), or change 'slug' if it is the same city"
    ]
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 (again, no --city: the loaded one)
    assert (list(District.objects.values_list("slug", flat=True)), Issue.objects.count()) == before
    assert CityProfile.current().pack == "havenstad"


def test_demo_users_can_sign_in_with_the_printed_password(client, havenstad):
    assert client.login(email="citizen@demo.civicnet.test", password=DEMO_PASSWORD)


def test_the_city_profile_is_edited_in_the_citys_languages_and_shows_at_once(client, havenstad):
    from tests.conftest import superuser_login

    superuser_login(client)
    url = reverse("admin:city_cityprofile_change", args=[1])
    form = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert re.findall(r'name="(name|network_name|tagline)__(\w+)"', form) == [
        ("name", "nl"),
        ("name", "en"),
        ("network_name", "nl"),
        ("network_name", "en"),
        ("tagline", "nl"),
        ("tagline", "en"),
    ]
    city = CityProfile.current()
    data = {
        **{
            f"{text}__{code}": value
            for text in ("name", "network_name", "tagline", "privacy_text", "terms_text")
            for code, value in getattr(city, f"{text}_i18n").items()
        },
        "tagline__en": "Fixing the harbour town together.",
        "languages": json.dumps(city.languages),
        "default_language": "nl",
        "time_zone": city.time_zone,
        "pack": city.pack,
        "primary_colour": city.primary_colour,
        "accent_colour": city.accent_colour,
        "contact_email": city.contact_email,
        "operator_name": city.operator_name,
        "operator_address": city.operator_address,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CityProfile.objects.get().tagline_i18n["en"] == "Fixing the harbour town together."
    client.logout()
    assert "Fixing the harbour town together." in client.get("/", headers={"accept-language": "en"}).content.decode()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_email_template_names_brussels(havenstad, language):
    """Every email template, whatever fills it: its own words and the city's never name Brussels
    (the crawl above sees the emails the demo and a sign-up send; this sees the rest)."""
    from pathlib import Path

    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation

    root = Path(settings.BASE_DIR) / "templates"
    names = sorted(
        str(path.relative_to(root)) for folder in ("emails", "account/email") for path in (root / folder).rglob("*.*")
    )
    assert len(names) >= 15
    user = User.objects.get(email="citizen@demo.civicnet.test")
    from civicnet.accounts.models import Organisation

    objects = {"organisation": Organisation.objects.first(), "issue": Issue.objects.first(), "count": 2}
    context = {"city": havenstad, "user": user, "recipient": user, "site_url": "https://havenstad.example", **objects}
    with translation.override(language):
        rendered = {name: render_to_string(name, context) for name in names}
    assert {name: _brussels_in(text) for name, text in rendered.items() if _brussels_in(text)} == {}
    assert "Havenstad" in rendered["emails/base.html"]


@pytest.mark.parametrize(
    ("language", "names", "word"),
    [
        ("en", ["Lindenhof", "Mill Quarter", "Old Harbour", "South Quay", "Ter Beke", "The Docks"], "Neighbourhood"),
        ("nl", ["Dokken", "Lindenhof", "Molenwijk", "Oude Haven", "Ter Beke", "Zuidkaai"], "Wijk"),
    ],
)
def test_forms_list_the_districts_by_name_in_the_readers_language(client, havenstad, language, names, word):
    client.force_login(UserFactory(preferred_language=language))
    for url in (reverse("accounts:profile"), reverse("openwall:issue_create")):
        page = client.get(url).content.decode()
        select = page.split('name="district"')[1].split("</select>")[0]
        assert re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select) == names, url
        assert re.search(r'<label for="id_district">([^<]+)</label>', page).group(1).startswith(word), url
