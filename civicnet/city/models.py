from django.conf import settings
from django.core.cache import cache
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

CITY_CACHE_KEY = "city:profile:v1"
hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1d4ed8."))
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def active_language() -> str:
    """The two-letter code of the language this request (or task) speaks."""
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def translated(obj, field: str) -> str:
    """The value of `field` in the active language, falling back through the others."""
    active = active_language()
    for code in [active, settings.LANGUAGE_CODE, *LANGUAGE_CODES]:
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""


class CityProfile(models.Model):
    """The city this instance serves. One row, loaded from a city pack."""

    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    tagline_fr = models.CharField(_("tagline (French)"), max_length=200, blank=True)
    tagline_nl = models.CharField(_("tagline (Dutch)"), max_length=200, blank=True)
    tagline_en = models.CharField(_("tagline (English)"), max_length=200, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    primary_colour = models.CharField(_("primary colour"), max_length=7, validators=[hex_colour], default="#1d4ed8")
    accent_colour = models.CharField(_("accent colour"), max_length=7, validators=[hex_colour], default="#b45309")
    logo = models.ImageField(_("logo"), upload_to="city/", blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    privacy_text_fr = models.TextField(_("privacy text (French)"), blank=True)
    privacy_text_nl = models.TextField(_("privacy text (Dutch)"), blank=True)
    privacy_text_en = models.TextField(_("privacy text (English)"), blank=True)
    terms_text_fr = models.TextField(_("terms of use (French)"), blank=True)
    terms_text_nl = models.TextField(_("terms of use (Dutch)"), blank=True)
    terms_text_en = models.TextField(_("terms of use (English)"), blank=True)
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
        cache.delete(CITY_CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(CITY_CACHE_KEY))

    @classmethod
    def current(cls):
        """The city, cached: every page shows it. None before a city pack is loaded."""
        profile = cache.get(CITY_CACHE_KEY)
        if profile is None:
            profile = cls.objects.filter(pk=1).first() or False
            cache.set(CITY_CACHE_KEY, profile, 300)
        return profile or None

    @property
    def name(self):
        return translated(self, "name")

    @property
    def tagline(self):
        return translated(self, "tagline")

    @property
    def privacy_text(self):
        return translated(self, "privacy_text")

    @property
    def terms_text(self):
        return translated(self, "terms_text")


class TopicQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Topic(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=80)
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    icon = models.SlugField(_("icon"), blank=True, help_text=_("Name of an icon in static/img/topics/."))
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


class District(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=80)
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    postal_codes = models.JSONField(_("postal codes"), default=list)

    class Meta:
        ordering = ["name_en"]
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
    name_fr = models.CharField(_("name (French)"), max_length=80)
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
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
