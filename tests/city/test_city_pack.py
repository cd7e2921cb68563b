import json

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
    assert District.objects.get(slug="ixelles").name_nl == "Elsene"
    assert District.objects.get(slug="bruxelles").postal_codes == ["1000", "1020", "1120", "1130"]
    assert CityProfile.current().name_fr == "Bruxelles"


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
    Topic.objects.filter(slug="work").update(name_fr="Boulot")
    report = city_pack_load(name="brussels")
    assert report.updated == ["topic work (name_fr)"]
    assert Topic.objects.get(slug="work").name_fr == "Travail"


def _broken_pack(tmp_path, mutate):
    pack = json.loads(pack_path("brussels").read_text())
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
    with pytest.raises(CommandError, match="shipped packs: brussels"):
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
