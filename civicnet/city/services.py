"""City packs: the data that makes an instance a given city's (see docs/city-packs.md)."""

import json
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django_celery_beat.models import CrontabSchedule

from .icons import IconError, icon_clean
from .models import LANGUAGE_CODES, Circle, CityProfile, District, Topic

PACKS_DIR = Path(__file__).resolve().parent / "packs"
PACK_FORMAT = 1
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
POSTAL_CODE = re.compile(r"^[A-Za-z0-9 -]{2,10}$")
# Every key a pack may have, per level: any other is a mistake (a typo is not silently ignored).
KEYS = {
    "": {"format", "slug", "city", "topics", "districts", "circles"},
    "city": {
        *("name", "network_name", "tagline", "languages", "default_language", "time_zone", "area_word"),
        *("primary_colour", "accent_colour", "contact_email", "operator", "privacy_text", "terms_text", "map"),
    },
    "city.map": {"latitude", "longitude", "zoom"},
    "city.operator": {"name", "address"},
    "topics": {"slug", "name", "description", "icon", "active"},
    "districts": {"slug", "name", "postal_codes"},
    "circles": {"slug", "name", "description"},
}
# The city's texts: (key, required, longest).
TEXTS = [
    ("name", True, 100),
    ("network_name", True, 100),
    ("tagline", True, 200),
    ("privacy_text", True, None),
    ("terms_text", False, None),
]
NAME_MAX = 80  # a theme's, a district's, a circle's name


def text_max_length(model, name: str) -> int | None:
    """The longest a text may be, the same for the pack loader and the admin's boxes."""
    if model is CityProfile:
        return next((longest for key, _required, longest in TEXTS if key == name), None)
    return NAME_MAX if name == "name" else None


# WCAG AA for normal text: the primary colour is the links' on white, the accent the dates' and
# the posters' text on white.
CONTRAST_MINIMUM = 4.5


class CityPackError(Exception):
    """The pack is invalid; `errors` names every bad entry. Nothing was loaded."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def pack_path(name: str) -> Path:
    """A pack shipped with civicnet by name (`brussels`), or a path to a JSON file."""
    candidate = Path(name)
    if candidate.suffix == ".json":
        return candidate
    return PACKS_DIR / f"{name}.json"


def city_pack_read(*, name: str) -> dict:
    path = pack_path(name)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        available = ", ".join(sorted(p.stem for p in PACKS_DIR.glob("*.json")))
        raise CityPackError([f"no city pack at {path} (shipped packs: {available})"]) from exc
    if raw.startswith(b"\xef\xbb\xbf"):
        raise CityPackError([f"{path.name}: starts with a byte-order mark; save it as UTF-8 without BOM"])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CityPackError(
            [f"{path.name}: not UTF-8 at line {line} (byte {exc.start}); save it as UTF-8 (it may be Latin-1)"]
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CityPackError(
            [f"{path.name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from exc


def _translations(
    value, where: str, errors: list[str], languages: list[str], *, required: bool, max_length: int | None = None
) -> dict:
    """A text in each of the pack's languages: {"nl": "...", "en": "..."}. A language the city
    does not speak is a mistake (a French text in a Dutch-and-English city is never shown)."""
    if not isinstance(value, dict):
        if required or value is not None:
            errors.append(f"{where}: expected an object with a text in each of {', '.join(languages)}")
        return {}
    for code in value:
        if code not in languages:
            errors.append(f"{where}: language '{code}' is not one of city.languages ({', '.join(languages)})")
    texts = {}
    for code in languages:
        text = value.get(code, "")
        if not isinstance(text, str):
            errors.append(f"{where}.{code}: expected text")
        elif required and not text.strip():
            errors.append(f"{where}.{code} is missing")
        elif max_length and len(text) > max_length:
            errors.append(f"{where}.{code} is longer than {max_length} characters")
        elif max_length and "\n" in text.strip():
            errors.append(f"{where}.{code} must be one line (it is a name or a heading)")
        elif text.strip():
            texts[code] = text.strip()
    return texts


def _area_words(value, errors: list[str], languages: list[str]) -> dict:
    """city.area_word: {"nl": {"one": "wijk", "all": "Alle wijken"}, ...}."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append("city.area_word: expected an object with, per language, {one, all}")
        return {}
    words = {}
    for code, forms in value.items():
        where = f"city.area_word.{code}"
        if code not in languages:
            errors.append(f"city.area_word: language '{code}' is not one of city.languages ({', '.join(languages)})")
        elif not isinstance(forms, dict) or set(forms) != {"one", "all"}:
            errors.append(f"{where}: expected exactly {{one, all}}, e.g. wijk, Alle wijken")
        elif not all(isinstance(text, str) and text.strip() and len(text) <= 40 for text in forms.values()):
            errors.append(f"{where}: each form must be a text of 40 characters at most")
        else:
            words[code] = {form: text.strip() for form, text in forms.items()}
    missing = [code for code in languages if code not in value]
    if value and missing:
        errors.append(f"city.area_word: missing for {', '.join(missing)}")
    return words


def _slugged(entries, section: str, errors: list[str]):
    """Yield (label, entry) for each entry of a list section, checking slugs are valid and unique."""
    if not isinstance(entries, list) or not entries:
        errors.append(f"{section}: expected a non-empty list")
        return
    seen = set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            errors.append(f"{section}[{index}]: expected an object")
            continue
        slug = entry.get("slug")
        label = f"{section}[{index}] ({slug!r})"
        if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > 50:
            errors.append(f"{label}: slug must be lower-case letters, digits and hyphens (50 at most)")
        elif slug in seen:
            errors.append(f"{label}: slug used twice")
        seen.add(slug)
        yield label, entry


def _unknown_keys(entry, level: str, where: str, errors: list[str]) -> None:
    if isinstance(entry, dict):
        expected = ", ".join(sorted(KEYS[level]))
        for key in sorted(set(entry) - KEYS[level]):
            errors.append(f"{where + ': ' if where else ''}unknown key '{key}' (expected one of {expected})")


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of `colour` (#rrggbb) against white."""
    return 1.05 / (_luminance(colour) + 0.05)


def _own_icon(path: str, base: Path | None, where: str, errors: list[str]) -> str:
    """A pack's own icon: an SVG file beside the pack (a path relative to it), checked."""
    relative = Path(path)
    target = (base / relative).resolve() if base is not None else None
    if target is None or relative.is_absolute() or ".." in relative.parts or not target.is_relative_to(base):
        errors.append(f"{where}: {path!r} must be a path relative to the pack's folder, inside it")
        return ""
    try:
        return icon_clean(target.read_bytes())
    except FileNotFoundError:
        errors.append(f"{where}: no file {base / relative}")
    except OSError as exc:
        errors.append(f"{where}: cannot read {base / relative} ({exc.strerror})")
    except IconError as exc:
        errors.append(f"{where}: {path} {exc}")
    return ""


def city_pack_validate(*, pack, base: Path | None = None) -> dict:
    """Check the whole pack and return it normalised; raise CityPackError listing every problem.

    `base`: the pack's folder, where its own icons are."""
    errors: list[str] = []
    if not isinstance(pack, dict):
        raise CityPackError(["the pack must be a JSON object"])
    _unknown_keys(pack, "", "", errors)
    _unknown_keys(pack.get("city"), "city", "city", errors)
    if isinstance(pack.get("city"), dict):
        _unknown_keys(pack["city"].get("map"), "city.map", "city.map", errors)
        _unknown_keys(pack["city"].get("operator"), "city.operator", "city.operator", errors)
    for section in ("topics", "districts", "circles"):
        if isinstance(pack.get(section), list):
            for index, entry in enumerate(pack[section]):
                _unknown_keys(entry, section, f"{section}[{index}]", errors)
    if pack.get("format") != PACK_FORMAT:
        errors.append(f"format: expected {PACK_FORMAT}, got {pack.get('format')!r}")
    slug = pack.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug):
        errors.append("slug: expected a lower-case slug such as 'brussels'")

    city = pack.get("city")
    normal_city = {}
    languages = []
    if not isinstance(city, dict):
        errors.append("city: expected an object")
    else:
        languages = city.get("languages")
        if (
            not isinstance(languages, list)
            or not languages
            or any(code not in LANGUAGE_CODES for code in languages)
            or len(set(languages)) != len(languages)
        ):
            errors.append(
                f"city.languages: expected a list drawn from {', '.join(LANGUAGE_CODES)} (the languages "
                f"civicnet has a catalogue for), each once, the default first"
            )
            raise CityPackError(errors)  # every text is checked against the languages: nothing more to say
        default = city.get("default_language", languages[0] if languages else "")
        if default not in languages:
            errors.append(f"city.default_language: {default!r} is not one of city.languages")
        time_zone = city.get("time_zone")
        if not isinstance(time_zone, str) or time_zone not in zoneinfo.available_timezones():
            errors.append(f"city.time_zone: {time_zone!r} is not a time zone name such as 'Europe/Brussels'")
        operator = city.get("operator", {})
        if not isinstance(operator, dict) or not all(
            isinstance(operator.get(key, ""), str) and len(operator.get(key, "")) <= limit
            for key, limit in (("name", 200), ("address", 300))
        ):
            errors.append("city.operator: expected {name, address}, texts of 200 and 300 characters at most")
            operator = {}
        for key in ("primary_colour", "accent_colour"):
            if not isinstance(city.get(key), str) or not COLOUR.match(city[key]):
                errors.append(f"city.{key}: expected a colour like #1d4ed8")
            elif (ratio := contrast_on_white(city[key])) < CONTRAST_MINIMUM:
                errors.append(
                    f"city.{key}: {city[key]} on white has a contrast of {ratio:.1f}:1, below the "
                    f"{CONTRAST_MINIMUM}:1 that text needs (WCAG AA); choose a darker colour"
                )
        email = city.get("contact_email", "")
        try:
            if not isinstance(email, str):
                raise ValidationError("not text")
            if email:
                validate_email(email)
        except ValidationError:
            errors.append(f"city.contact_email: {email!r} is not an email address")
        map_centre = city.get("map", {})
        if not isinstance(map_centre, dict) or not (
            isinstance(map_centre.get("latitude", 0), int | float)
            and -90 <= map_centre.get("latitude", 0) <= 90
            and isinstance(map_centre.get("longitude", 0), int | float)
            and -180 <= map_centre.get("longitude", 0) <= 180
            and isinstance(map_centre.get("zoom", 12), int)
            and 1 <= map_centre.get("zoom", 12) <= 19
        ):
            errors.append("city.map: expected {latitude: -90..90, longitude: -180..180, zoom: 1..19}")
            map_centre = {}
        normal_city = {
            "map_latitude": map_centre.get("latitude"),
            "map_longitude": map_centre.get("longitude"),
            "map_zoom": map_centre.get("zoom"),
            "languages": languages,
            "primary_colour": city.get("primary_colour"),
            "accent_colour": city.get("accent_colour"),
            "contact_email": email,
            "time_zone": time_zone,
            "default_language": default,
            "operator_name": operator.get("name", "").strip(),
            "operator_address": operator.get("address", "").strip(),
            "area_word_i18n": _area_words(city.get("area_word"), errors, languages),
        }
        for key, required, max_length in TEXTS:
            normal_city[f"{key}_i18n"] = _translations(
                city.get(key), f"city.{key}", errors, languages, required=required, max_length=max_length
            )

    topics = []
    for order, (label, entry) in enumerate(_slugged(pack.get("topics"), "topics", errors), start=1):
        names = _translations(entry.get("name"), f"{label}.name", errors, languages, required=True, max_length=NAME_MAX)
        descriptions = _translations(
            entry.get("description"), f"{label}.description", errors, languages, required=False
        )
        icon, icon_svg = entry.get("icon", ""), ""
        if isinstance(icon, str) and icon.endswith(".svg"):
            icon_svg = _own_icon(icon, base, f"{label}.icon", errors)
            icon = ""
        elif not isinstance(icon, str) or (icon and not SLUG.match(icon)):
            errors.append(
                f"{label}.icon: expected an icon name such as 'urbanism', or a file such as 'icons/harbour.svg'"
            )
        elif icon and not finders.find(f"img/topics/{icon}.svg"):
            errors.append(f"{label}.icon: no icon static/img/topics/{icon}.svg")
        active = entry.get("active", True)
        if not isinstance(active, bool):
            errors.append(f"{label}.active: expected true or false")
        topics.append(
            {
                "slug": entry.get("slug"),
                "icon": icon,
                "icon_svg": icon_svg,
                "order": order,
                "active": active,
                "name_i18n": names,
                "description_i18n": descriptions,
            }
        )

    districts = []
    for label, entry in _slugged(pack.get("districts"), "districts", errors):
        names = _translations(entry.get("name"), f"{label}.name", errors, languages, required=True, max_length=NAME_MAX)
        codes = entry.get("postal_codes", [])
        if not isinstance(codes, list) or not all(isinstance(c, str) and POSTAL_CODE.match(c) for c in codes):
            errors.append(f"{label}.postal_codes: expected a list of postal codes as text")
        districts.append({"slug": entry.get("slug"), "postal_codes": codes, "name_i18n": names})

    circles = []
    # Optional: a pack without circles has a network page that says so.
    entries = pack.get("circles")
    for order, (label, entry) in enumerate(_slugged(entries, "circles", errors) if entries is not None else (), 1):
        names = _translations(entry.get("name"), f"{label}.name", errors, languages, required=True, max_length=NAME_MAX)
        descriptions = _translations(
            entry.get("description"), f"{label}.description", errors, languages, required=False
        )
        circles.append(
            {"slug": entry.get("slug"), "order": order, "name_i18n": names, "description_i18n": descriptions}
        )

    if errors:
        raise CityPackError(errors)
    return {"slug": slug, "city": normal_city, "topics": topics, "districts": districts, "circles": circles}


def _upsert(model, *, lookup: dict, values: dict, label: str, report: LoadReport):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        model.objects.create(**lookup, **values)
        report.created.append(label)
        return
    changed = [key for key, value in values.items() if getattr(obj, key) != value]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.save()
        report.updated.append(f"{label} ({', '.join(changed)})")
    else:
        report.unchanged += 1


@transaction.atomic
def city_pack_load(*, name: str) -> LoadReport:
    """Load a city pack: all of it or, if any entry is bad, none of it.

    Rows are matched by slug, so loading the same pack again changes nothing and a newer
    version of a pack updates what it changed. Topics and districts the pack no longer
    lists are kept (contributions may point at them); deactivate them in the admin.
    """
    pack = city_pack_validate(pack=city_pack_read(name=name), base=pack_path(name).resolve().parent)
    current = CityProfile.objects.filter(pk=1).values_list("pack", flat=True).first()
    if current and current != pack["slug"]:
        # Its districts, themes and demo would stay beside the new city's: one database, one city.
        raise CityPackError(
            [
                f"this database serves the city pack '{current}', not '{pack['slug']}': load a city's pack "
                f"on a fresh database (docs/city-packs.md), or change 'slug' if it is the same city"
            ]
        )
    report = LoadReport()
    _upsert(
        CityProfile,
        lookup={"pk": 1},
        values={**pack["city"], "pack": pack["slug"]},
        label=f"city {pack['slug']}",
        report=report,
    )
    # "08:00 city time": the beat's schedules follow the city's time zone (civicnet/phases.py).
    CrontabSchedule.objects.exclude(timezone=pack["city"]["time_zone"]).update(timezone=pack["city"]["time_zone"])
    for topic in pack["topics"]:
        slug = topic.pop("slug")
        _upsert(Topic, lookup={"slug": slug}, values=topic, label=f"topic {slug}", report=report)
    for district in pack["districts"]:
        slug = district.pop("slug")
        _upsert(District, lookup={"slug": slug}, values=district, label=f"district {slug}", report=report)
    for circle in pack["circles"]:
        slug = circle.pop("slug")
        _upsert(Circle, lookup={"slug": slug}, values=circle, label=f"circle {slug}", report=report)
    return report
