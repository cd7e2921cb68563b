import base64
import contextvars
import unicodedata
import zoneinfo

from django.conf import settings
from django.core.cache import cache
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.templatetags.static import static
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

CITY_CACHE_KEY = "city:profile:v2"
# The city as this request read it once (CityLocaleMiddleware): every page asks for it a few
# times (languages, time zone, names), and each ask would be a round trip to the cache.
REQUEST_CITY = contextvars.ContextVar("request_city", default=None)
hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1d4ed8."))
# The languages civicnet has a catalogue for. A city speaks some of them, in its pack's order.
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def language_choices():
    """What stored content may be written in: every catalogue civicnet ships. A callable, so that
    no migration records the list and a city's choice of languages never changes the schema."""
    return settings.LANGUAGES


def site_languages() -> list[tuple[str, str]]:
    """The languages this city speaks, as (code, name), in its pack's order. Every catalogue
    before a pack is loaded."""
    city = CityProfile.current()
    names = dict(settings.LANGUAGES)
    codes = [code for code in (city.languages if city else []) if code in names]
    return [(code, names[code]) for code in codes] or list(settings.LANGUAGES)


def site_language_codes() -> list[str]:
    return [code for code, _name in site_languages()]


def default_language() -> str:
    """What a page or an email speaks when nothing says otherwise: the pack's default_language
    (its first language unless it names another)."""
    city = CityProfile.current()
    codes = site_language_codes()
    if city and city.default_language in codes:
        return city.default_language
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in codes else codes[0]


def city_area_word() -> str:
    """What the city calls one of its areas, in the reader's language ("wijk", "commune")."""
    city = CityProfile.current()
    return city.area_word if city else gettext("district")


def active_language() -> str:
    """The two-letter code of the language this request (or task) speaks."""
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def translated(obj, field: str) -> str:
    """`field`'s text in the active language, else in the first language that has one.

    Texts in each language live in one JSON field, `<field>_i18n` ({"nl": "...", "en": "..."}),
    so a city's languages are data: adding or dropping one never changes the schema.
    """
    texts = getattr(obj, f"{field}_i18n") or {}
    if text := texts.get(active_language()):
        return text
    # Only in the city's languages: texts kept from a language it dropped are never shown.
    for code in (default_language(), *site_language_codes()):
        if texts.get(code):
            return texts[code]
    return ""


def reader_sort_key(text: str) -> str:
    """Sort key for names in the reader's language: accents and case do not move a name
    (Élouges beside Elsene, not after Zaventem)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class CityProfile(models.Model):
    """The city this instance serves. One row, loaded from a city pack."""

    name_i18n = models.JSONField(_("name"), default=dict)
    network_name_i18n = models.JSONField(
        _("network's name"), default=dict, help_text=_("The name of the network that runs the site, in each language.")
    )
    tagline_i18n = models.JSONField(_("tagline"), default=dict, blank=True)
    # {"nl": {"one": "wijk", "all": "Alle wijken"}, ...}
    area_word_i18n = models.JSONField(_("the word for its areas"), default=dict, blank=True)
    languages = models.JSONField(_("languages"), default=list, help_text=_("In the order the site offers them."))
    default_language = models.CharField(
        _("default language"),
        max_length=8,
        blank=True,
        choices=language_choices,
        help_text=_("For a visitor whose browser asks for none of the city's languages, and for emails."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", choices=time_zone_choices)
    primary_colour = models.CharField(_("primary colour"), max_length=7, validators=[hex_colour], default="#1d4ed8")
    accent_colour = models.CharField(_("accent colour"), max_length=7, validators=[hex_colour], default="#b45309")
    logo = models.ImageField(_("logo"), upload_to="city/", blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    # Who runs the site, for the legal pages: the data controller a reader can write to.
    operator_name = models.CharField(_("who runs the site"), max_length=200, blank=True)
    operator_address = models.CharField(_("postal address of who runs the site"), max_length=300, blank=True)
    privacy_text_i18n = models.JSONField(_("privacy text"), default=dict, blank=True)
    terms_text_i18n = models.JSONField(_("terms of use"), default=dict, blank=True)
    pack = models.SlugField(_("city pack"), blank=True)
    # Where the wall's map opens, when a tile server is configured (civicnet/maps.py).
    map_latitude = models.FloatField(_("map centre, latitude"), null=True, blank=True)
    map_longitude = models.FloatField(_("map centre, longitude"), null=True, blank=True)
    map_zoom = models.PositiveSmallIntegerField(_("map zoom"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("city profile")
        verbose_name_plural = _("city profile")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="cityprofile_single_row")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1  # one row: whatever is saved is the city
        super().save(*args, **kwargs)
        # Now, and again after the commit: a reader in between would put the old profile back.
        REQUEST_CITY.set(None)
        cache.delete(CITY_CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(CITY_CACHE_KEY))

    @classmethod
    def current(cls):
        """The city, cached: every page shows it. None before a city pack is loaded."""
        if (remembered := REQUEST_CITY.get()) is not None:
            return remembered[0]
        profile = cache.get(CITY_CACHE_KEY)
        if profile is None:
            profile = cls.objects.filter(pk=1).first() or False
            cache.set(CITY_CACHE_KEY, profile, 300)
        return profile or None

    @property
    def name(self):
        return translated(self, "name")

    @property
    def network_name(self):
        return translated(self, "network_name") or self.name

    @property
    def tagline(self):
        return translated(self, "tagline")

    @property
    def privacy_text(self):
        return translated(self, "privacy_text")

    @property
    def terms_text(self):
        return translated(self, "terms_text")

    def _area_word(self, form: str, fallback: str) -> str:
        words = self.area_word_i18n or {}
        for code in (active_language(), default_language()):
            if (words.get(code) or {}).get(form):
                return words[code][form]
        return fallback

    @property
    def area_word(self):
        """What the city calls one of its areas ("commune", "wijk"), in the reader's language."""
        return self._area_word("one", gettext("district"))

    @property
    def area_all(self):
        """ "All districts" in a filter, with the city's word and its grammar ("Toutes les communes")."""
        return self._area_word("all", gettext("All districts"))


class TopicQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Topic(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name_i18n = models.JSONField(_("name"), default=dict)
    description_i18n = models.JSONField(_("description"), default=dict, blank=True)
    icon = models.SlugField(_("icon"), blank=True, help_text=_("Name of an icon in static/img/topics/."))
    # Or the pack's own icon, checked and rewritten (civicnet/city/icons.py).
    icon_svg = models.TextField(_("the pack's own icon"), blank=True, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("theme")  # the site's word (docs/glossary.md); "topic" in the code
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return translated(self, "name")

    @property
    def description(self):
        return translated(self, "description")

    @cached_property
    def icon_src(self) -> str:
        """Where an <img> finds the theme's icon: the pack's own, inline, or a shipped one."""
        if self.icon_svg:
            return "data:image/svg+xml;base64," + base64.b64encode(self.icon_svg.encode()).decode()
        return static(f"img/topics/{self.icon}.svg") if self.icon else ""


class DistrictQuerySet(models.QuerySet):
    def in_reader_order(self) -> list:
        """The districts sorted by their name in the reader's language (names differ by language:
        Ixelles is Elsene in Dutch), which the database cannot order by for a JSON text."""
        return sorted(self, key=lambda district: reader_sort_key(district.name))


class District(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name_i18n = models.JSONField(_("name"), default=dict)
    postal_codes = models.JSONField(_("postal codes"), default=list)

    objects = DistrictQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]  # shown sorted in the reader's language: DistrictQuerySet.in_reader_order
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return translated(self, "name")


class Circle(models.Model):
    """One of the network's circles (core members, contributing networks, supporting
    communities, stakeholders...): city-pack data; organisers place organisations in them."""

    slug = models.SlugField(_("slug"), unique=True)
    name_i18n = models.JSONField(_("name"), default=dict)
    description_i18n = models.JSONField(_("description"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("circle of the network")
        verbose_name_plural = _("circles of the network")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return translated(self, "name")

    @property
    def description(self):
        return translated(self, "description")
