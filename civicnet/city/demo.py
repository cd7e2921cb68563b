"""Demo content belongs to the city pack, not to the code: `packs/demo/<pack>.json`.

Each demo seeder asks for its own section (`demo_content("openwall")`), so the texts are in the
city's voice and languages. A pack that ships none gets the generic demo (`packs/demo/_generic.json`):
a few texts in every catalogue language, told in the loaded city's names. The generic texts name
no place: `{city}` and `{district}` are filled in from the pack; a theme is named by the icon it
would have (`"topic": "healthcare"` is the pack's theme with that icon, else one picked for that
icon), a district by position (`"district": 2` is the pack's third, by slug); each issue speaks
one of the city's languages in turn, the rest the city's default language.
"""

import json

from .models import Circle, CityProfile, District, Topic, default_language, site_language_codes
from .services import PACKS_DIR

DEMO_DIR = PACKS_DIR / "demo"
GENERIC = DEMO_DIR / "_generic.json"
# The theme icons civicnet ships (static/img/topics/), which the generic demo names its themes by.
ICONS = ["consumption", "production", "economics", "work", "politics", "education", "healthcare", "culture", "urbanism"]


def demo_content(section: str) -> dict:
    """The loaded pack's demo content for one app, or the generic one told for this city."""
    city = CityProfile.current()
    if city is None:
        return {}
    path = DEMO_DIR / f"{city.pack}.json"
    content = _read(path if city.pack and path.is_file() else GENERIC)
    if not content.get("generic"):
        return content.get(section, {})
    return _Teller(city).tell(content.get(section, {}))


def _read(path) -> dict:
    content = json.loads(path.read_text(encoding="utf-8"))
    if content.get("format") != 1:
        raise ValueError(f"{path}: unknown demo content format {content.get('format')!r}")
    return content


class _Teller:
    """Turns the generic content into what the seeders read: slugs, one language per text."""

    def __init__(self, city):
        self.city = city
        self.languages = site_language_codes()
        topics = list(Topic.objects.active())
        self.topics = [topic.slug for topic in topics]
        self.by_icon = {topic.icon: topic.slug for topic in reversed(topics) if topic.icon}
        self.districts = list(District.objects.order_by("slug"))
        self.circles = [circle.slug for circle in Circle.objects.all()]

    def tell(self, section: dict) -> dict:
        told = {}
        for key, value in section.items():
            if key in ("neighbour_names", "comments", "official_answers"):
                told[key] = {code: text for code, text in value.items() if code in self.languages}
            elif key == "accounts":
                told[key] = {role: self._district(index) for role, index in value.items()}
            elif key == "issues":
                told[key] = [self._item(item, self.languages[i % len(self.languages)]) for i, item in enumerate(value)]
            else:  # meetups, organisations: in the city's default language
                told[key] = [self._item(item, default_language()) for item in value]
        return told

    def _item(self, item: dict, language: str) -> dict:
        district = self._district(item.get("district", 0))
        names = {
            "{city}": self._name(self.city.name_i18n, language),
            "{district}": self._district_name(district, language),
        }
        told = {"language": language} if "title" in item else {}
        for key, value in item.items():
            if key == "topic":
                told[key] = self._topic(value)
            elif key == "topics":
                told[key] = sorted({self._topic(icon) for icon in value})
            elif key == "district":
                told[key] = district
            elif key == "circle":
                told[key] = self.circles[value % len(self.circles)] if self.circles else ""
            elif key == "raised_there":
                told[key] = self._item(value, language)
            elif isinstance(value, list) and any(self._is_text(entry) for entry in value):  # choices, answers
                told[key] = [self._text(entry, names, language) if self._is_text(entry) else entry for entry in value]
            elif isinstance(value, list) and value and isinstance(value[0], dict):  # criteria, questions
                told[key] = [self._item(entry, language) for entry in value]
            elif isinstance(value, dict):
                told[key] = self._text(value, names, language)
            else:
                told[key] = value
        return told

    @staticmethod
    def _is_text(value) -> bool:
        """A text in several languages: {"fr": …, "nl": …, "en": …}."""
        return isinstance(value, dict) and bool(value) and all(len(code) == 2 for code in value)

    def _text(self, value: dict, names: dict, language: str) -> str:
        text = self._name(value, language)
        for placeholder, name in names.items():
            text = text.replace(placeholder, name)
        return text

    def _topic(self, icon: str) -> str:
        """The pack's theme with this icon, else one picked in turn (the same one for an icon)."""
        if icon in self.by_icon:
            return self.by_icon[icon]
        return self.topics[ICONS.index(icon) % len(self.topics)] if icon in ICONS else self.topics[0]

    def _district(self, index):
        if index is None or not self.districts:
            return None
        return self.districts[index % len(self.districts)].slug

    def _district_name(self, slug, language):
        district = next((d for d in self.districts if d.slug == slug), None)
        return self._name(district.name_i18n, language) if district else self._name(self.city.name_i18n, language)

    @staticmethod
    def _name(texts: dict, language: str) -> str:
        return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")
