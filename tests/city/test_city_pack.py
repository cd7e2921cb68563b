import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from civicnet.city.models import CityProfile, District, Topic
from civicnet.city.services import CityPackError, city_pack_load, pack_path

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(CityProfile.objects.values()),
        list(Topic.objects.order_by("slug").values()),
        list(District.objects.order_by("slug").values()),
    )


def test_brussels_pack_has_nine_themes_and_nineteen_communes():
    report = city_pack_load(name="brussels")
    assert len(report.created) == 1 + 9 + 19 + 4  # the city, themes, communes, the network's circles
    assert [t.slug for t in Topic.objects.all()] == [
        "consumption",
        "production",
        "economics",
        "work",
        "politics",
        "education",
        "healthcare",
        "culture",
        "urbanism",
    ]
    assert District.objects.count() == 19
    assert District.objects.get(slug="ixelles").name_i18n["nl"] == "Elsene"
    assert District.objects.get(slug="bruxelles").postal_codes == ["1000", "1020", "1120", "1130"]
    assert CityProfile.current().name_i18n["fr"] == "Bruxelles"


def test_loading_twice_changes_nothing():
    city_pack_load(name="brussels")
    before = _snapshot()
    report = city_pack_load(name="brussels")
    assert not report.changed
    assert report.unchanged == 33
    before[0][0].pop("updated_at")
    after = _snapshot()
    after[0][0].pop("updated_at")
    assert after == before


def test_reloading_repairs_what_an_organiser_changed():
    city_pack_load(name="brussels")
    Topic.objects.filter(slug="work").update(name_i18n={"fr": "Boulot", "nl": "Werk", "en": "Work"})
    report = city_pack_load(name="brussels")
    assert report.updated == ["topic work (name_i18n)"]
    assert Topic.objects.get(slug="work").name_i18n["fr"] == "Travail"


def _broken_pack(tmp_path, mutate, base="brussels"):
    """A copy of a shipped pack, changed by `mutate`, with the pack's own icons beside it."""
    if (icons := pack_path(base).parent / base).is_dir():
        shutil.copytree(icons, tmp_path / base, dirs_exist_ok=True)
    pack = json.loads(pack_path(base).read_text())
    mutate(pack)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(pack))
    return str(path)


def test_broken_pack_is_rejected_whole_naming_the_bad_entry(tmp_path):
    def mutate(pack):
        pack["topics"][3]["name"]["nl"] = ""
        pack["districts"][0]["postal_codes"] = [1070]

    with pytest.raises(CityPackError) as excinfo:
        city_pack_load(name=_broken_pack(tmp_path, mutate))
    assert excinfo.value.errors == [
        "topics[3] ('work').name.nl is missing",
        "districts[0] ('anderlecht').postal_codes: expected a list of postal codes as text",
    ]
    assert not Topic.objects.exists()
    assert not District.objects.exists()
    assert not CityProfile.objects.exists()


def test_duplicate_slug_and_bad_colour_are_reported(tmp_path):
    def mutate(pack):
        pack["topics"][1]["slug"] = "consumption"
        pack["city"]["primary_colour"] = "blue"

    with pytest.raises(CityPackError) as excinfo:
        city_pack_load(name=_broken_pack(tmp_path, mutate))
    assert "city.primary_colour: expected a colour like #1d4ed8" in excinfo.value.errors
    assert "topics[1] ('consumption'): slug used twice" in excinfo.value.errors


def test_command_reports_rejection_and_leaves_existing_data(tmp_path):
    city_pack_load(name="brussels")
    before = _snapshot()
    bad = _broken_pack(tmp_path, lambda pack: pack["topics"][0].update(name="Consumption"))
    with pytest.raises(CommandError, match=r"rejected, nothing was loaded:\n  - topics\[0\] \('consumption'\).name"):
        call_command("load_city_pack", bad)
    assert _snapshot() == before


def test_command_names_shipped_packs_when_unknown():
    with pytest.raises(CommandError, match="shipped packs: brussels, havenstad"):
        call_command("load_city_pack", "atlantis")


def test_invalid_json_says_where(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": 1,,}')
    with pytest.raises(CityPackError, match="not valid JSON at line 1, column 14"):
        city_pack_load(name=str(path))


@pytest.mark.parametrize("pack", sorted(path.stem for path in pack_path("brussels").parent.glob("*.json")))
def test_every_shipped_pack_loads_and_has_its_icons(pack):
    from django.contrib.staticfiles import finders

    city_pack_load(name=pack)
    for topic in Topic.objects.exclude(icon=""):
        assert finders.find(f"img/topics/{topic.icon}.svg"), topic.icon


def test_missing_icon_and_overlong_names_are_reported(tmp_path):
    def mutate(pack):
        pack["topics"][2]["icon"] = "spaceship"
        pack["districts"][1]["name"]["fr"] = "x" * 81

    with pytest.raises(CityPackError) as excinfo:
        city_pack_load(name=_broken_pack(tmp_path, mutate))
    assert excinfo.value.errors == [
        "topics[2] ('economics').icon: no icon static/img/topics/spaceship.svg",
        "districts[1] ('auderghem').name.fr is longer than 80 characters",
    ]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda pack: pack.update(theme=[]),
            "unknown key 'theme' (expected one of circles, city, districts, format, slug, topics)",
        ),
        (lambda pack: pack["city"].update(timezone="Europe/Brussels"), "city: unknown key 'timezone'"),
        (lambda pack: pack["city"]["map"].update(zom=12), "city.map: unknown key 'zom'"),
        (lambda pack: pack["topics"][2].update(colour="#000000"), "topics[2]: unknown key 'colour'"),
        (
            lambda pack: pack["city"].update(contact_email="hello@"),
            "city.contact_email: 'hello@' is not an email address",
        ),
        (
            lambda pack: pack["city"].update(primary_colour="#7a9cc6"),
            "city.primary_colour: #7a9cc6 on white has a contrast of 2.8:1, below the 4.5:1 that text needs",
        ),
        (
            lambda pack: pack["city"].update(accent_colour="#ffcc00"),
            "city.accent_colour: #ffcc00 on white has a contrast",
        ),
    ],
    ids=["top-level key", "city key", "map key", "topic key", "email", "primary contrast", "accent contrast"],
)
def test_each_bad_pack_says_what_is_wrong_and_loads_nothing(tmp_path, mutate, message):
    city_pack_load(name="brussels")
    before = _snapshot()
    with pytest.raises(CityPackError) as excinfo:
        city_pack_load(name=_broken_pack(tmp_path, mutate))
    assert len(excinfo.value.errors) == 1, excinfo.value.errors
    assert excinfo.value.errors[0].startswith(message)
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("encode", "message"),
    [
        (lambda text: b"\xef\xbb\xbf" + text.encode(), "starts with a byte-order mark; save it as UTF-8 without BOM"),
        (lambda text: text.encode("latin-1", errors="replace"), "not UTF-8 at line 1 (byte "),
    ],
    ids=["byte-order mark", "latin-1"],
)
def test_a_pack_saved_in_another_encoding_is_refused_clearly(tmp_path, encode, message):
    pack = json.loads(pack_path("brussels").read_text())
    path = tmp_path / "saved-elsewhere.json"
    path.write_bytes(encode(json.dumps(pack, ensure_ascii=False)))
    with pytest.raises(CityPackError) as excinfo:
        city_pack_load(name=str(path))
    assert len(excinfo.value.errors) == 1 and excinfo.value.errors[0].startswith(f"saved-elsewhere.json: {message}")
    assert not CityProfile.objects.exists()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda pack: pack["topics"][0]["name"].update(fr="Logement"),
            "topics[0] ('wonen').name: language 'fr' is not one of city.languages (nl, en)",
        ),
        (lambda pack: pack["city"]["name"].pop("en"), "city.name.en is missing"),
        (
            lambda pack: pack["city"].update(languages=["nl", "de"]),
            "city.languages: expected a list drawn from fr, nl, en",
        ),
        (lambda pack: pack["city"].update(default_language="fr"), "city.default_language: 'fr' is not one of"),
        (
            lambda pack: pack["city"].update(time_zone="Europe/Havenstad"),
            "city.time_zone: 'Europe/Havenstad' is not a time zone name",
        ),
        (
            lambda pack: pack["city"]["area_word"]["en"].pop("all"),
            "city.area_word.en: expected exactly {one, all}",
        ),
        (lambda pack: pack["city"]["operator"].update(phone="0"), "city.operator: unknown key 'phone'"),
    ],
    ids=[
        "text in a language the city does not speak",
        "missing language text",
        "no catalogue",
        "default",
        "zone",
        "area word",
        "operator key",
    ],
)
def test_a_dutch_and_english_pack_is_checked_against_its_own_languages(tmp_path, mutate, message):
    city_pack_load(name="havenstad")
    before = _snapshot()
    with pytest.raises(CityPackError) as excinfo:
        city_pack_load(name=_broken_pack(tmp_path, mutate, base="havenstad"))
    assert len(excinfo.value.errors) == 1, excinfo.value.errors
    assert excinfo.value.errors[0].startswith(message)
    assert _snapshot() == before


def test_a_city_that_speaks_no_french_needs_no_french_text():
    city_pack_load(name="havenstad")
    city = CityProfile.current()
    assert (city.languages, city.default_language, city.time_zone) == (["nl", "en"], "nl", "Europe/Amsterdam")
    assert Topic.objects.get(slug="wonen").name_i18n == {"nl": "Wonen", "en": "Housing"}


def test_check_reads_the_pack_and_writes_nothing():
    out = io.StringIO()
    call_command("load_city_pack", "havenstad", "--check", stdout=out)
    assert out.getvalue() == "City pack 'havenstad' is valid: 7 themes, 6 districts.\n"
    assert not CityProfile.objects.exists()


def test_loading_moves_the_periodic_tasks_to_the_citys_time_zone():
    from django_celery_beat.models import PeriodicTask

    call_command("migrate", verbosity=0)  # the beat rows exist before any city is loaded (in UTC)
    city_pack_load(name="havenstad")
    digest = PeriodicTask.objects.get(name="Weekly digest")
    assert (digest.crontab.hour, str(digest.crontab.timezone)) == ("8", "Europe/Amsterdam")


def test_a_pack_supplies_its_own_icon_checked_and_shown_inline(client):
    import base64

    city_pack_load(name="havenstad")
    klimaat = Topic.objects.get(slug="klimaat")
    assert klimaat.icon == "" and klimaat.icon_svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<title>Klimaat</title>" in klimaat.icon_svg
    home = client.get("/", headers={"accept-language": "en"}).content.decode()
    inline = "data:image/svg+xml;base64," + base64.b64encode(klimaat.icon_svg.encode()).decode()
    assert f'<img src="{inline}" alt="" width="40" height="40" class="topic-icon">' in home
    assert '<img src="/static/img/topics/urbanism.svg"' in home  # the shipped icons beside it


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><script>alert(1)</script></svg>',
            "icons/bad.svg <script> is not allowed in an icon",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0" onclick="x()"/></svg>',
            "icons/bad.svg the attribute 'onclick' of <path> is not allowed",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink" viewBox="0 0 1 1">'
            b'<image x:href="https://tracker.example/p.png"/></svg>',
            "icons/bad.svg <image> is not allowed",
        ),
        (
            b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">&a;</svg>',
            "icons/bad.svg has a DOCTYPE, an ENTITY, a comment or CDATA",
        ),
        (b"<svg viewBox='0 0 1 1'><path d='M0 0'/></svg>", "icons/bad.svg must be an <svg> with a viewBox"),
        (b"not svg at all", "icons/bad.svg is not valid SVG"),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><path d="M0 0"/></svg>'.encode("utf-16"),
            "icons/bad.svg is not UTF-8",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">' + b"<g>" * 40 + b"</g>" * 40 + b"</svg>",
            "icons/bad.svg nests shapes more than 16 deep",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><path fill="u\\72 l(#a)" d="M0 0"/></svg>',
            "icons/bad.svg the attribute 'fill' of <path> has a value an icon does not need",
        ),
    ],
    ids=[
        "script",
        "event handler",
        "external image",
        "entities",
        "no namespace",
        "not xml",
        "utf-16",
        "deep",
        "escaped url",
    ],
)
def test_a_bad_own_icon_is_refused_naming_what_to_remove(tmp_path, svg, message):
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "bad.svg").write_bytes(svg)
    path = _broken_pack(tmp_path, lambda pack: pack["topics"][0].update(icon="icons/bad.svg"), base="havenstad")
    with pytest.raises(CityPackError) as excinfo:
        city_pack_load(name=path)
    assert len(excinfo.value.errors) == 1
    assert excinfo.value.errors[0].startswith(f"topics[0] ('wonen').icon: {message}"), excinfo.value.errors
    assert not Topic.objects.exists()


@pytest.mark.parametrize("icon", ["../../etc/x.svg", "/etc/x.svg", "icons/link.svg"], ids=["up", "absolute", "symlink"])
def test_an_own_icon_outside_the_packs_folder_is_refused(tmp_path, icon):
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "link.svg").symlink_to("/etc/hostname")
    path = _broken_pack(tmp_path, lambda pack: pack["topics"][0].update(icon=icon), base="havenstad")
    with pytest.raises(CityPackError, match=r"must be a path relative to the pack's folder, inside it"):
        city_pack_load(name=path)
