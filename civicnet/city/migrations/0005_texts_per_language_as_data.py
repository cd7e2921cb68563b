"""A city's texts in each language move from one column per language (name_fr, name_nl, name_en)
to one JSON field per text ({"fr": ..., "nl": ...}): a city speaks the languages its pack lists,
and adding or dropping one never needs a migration again. The profile gains what a pack now
decides: the network's name, its default language, the word for its areas, its time zone and
who runs the site.

An instance upgraded in place keeps what it showed until now (filled in below: the network's
name, the area words and the time zone that were written in the code); loading its pack again
brings the pack's own values. The old columns stay in the database for one release, nullable, so
that workers still running the previous release keep working during the upgrade
(docs/deploy.md, "Upgrades"); the next release drops them. (On SQLite, the embedded default, the
next migration that adds a column to these tables remakes them without the old columns; this
migration is reversible on PostgreSQL only.)
"""

from django.conf import settings
from django.db import migrations, models

import civicnet.city.models

CODES = ("fr", "nl", "en")
TEXTS = {
    "cityprofile": ("name", "tagline", "privacy_text", "terms_text"),
    "topic": ("name", "description"),
    "district": ("name",),
    "circle": ("name", "description"),
}
# What every instance showed before this migration, whatever its pack: the names and words were
# in the catalogues, the time zone in the settings.
NETWORK_NAME = {
    "fr": "Réseau d’innovation civique",
    "nl": "Netwerk voor burgerinnovatie",
    "en": "Civic Innovation Network",
}
AREA_WORD = {
    "fr": {"one": "commune", "all": "Toutes les communes"},
    "nl": {"one": "gemeente", "all": "Alle gemeenten"},
    "en": {"one": "district", "all": "All districts"},
}
TIME_ZONE_BEFORE = "Europe/Brussels"


def columns_to_json(apps, schema_editor):
    for model_name, fields in TEXTS.items():
        model = apps.get_model("city", model_name)
        for row in model.objects.all():
            for field in fields:
                texts = {code: getattr(row, f"{field}_{code}") for code in CODES if getattr(row, f"{field}_{code}")}
                setattr(row, f"{field}_i18n", texts)
            row.save(update_fields=[f"{field}_i18n" for field in fields])
    for city in apps.get_model("city", "CityProfile").objects.all():
        spoken = [code for code in city.languages if code in CODES] or list(CODES)
        city.network_name_i18n = {code: NETWORK_NAME[code] for code in spoken}
        city.area_word_i18n = {code: AREA_WORD[code] for code in spoken}
        city.time_zone = TIME_ZONE_BEFORE
        city.default_language = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in spoken else spoken[0]
        city.save(update_fields=["network_name_i18n", "area_word_i18n", "time_zone", "default_language"])


def json_to_columns(apps, schema_editor):
    for model_name, fields in TEXTS.items():
        model = apps.get_model("city", model_name)
        for row in model.objects.all():
            for field in fields:
                for code in CODES:
                    setattr(row, f"{field}_{code}", (getattr(row, f"{field}_i18n") or {}).get(code, ""))
            row.save()


def _json(model_name, field, verbose, required):
    return migrations.AddField(
        model_name=model_name,
        name=f"{field}_i18n",
        field=models.JSONField(default=dict, blank=not required, verbose_name=verbose),
    )


def _old_column_nullable(model_name, field, code):
    """Kept for the previous release's workers, nullable (a new row leaves it NULL)."""
    kind = models.TextField if field in ("description", "privacy_text", "terms_text") else models.CharField
    options = {} if kind is models.TextField else {"max_length": 200}
    return migrations.AlterField(model_name=model_name, name=f"{field}_{code}", field=kind(null=True, blank=True, **options))


OLD_COLUMNS = [(model_name, field, code) for model_name, fields in TEXTS.items() for field in fields for code in CODES]


class Migration(migrations.Migration):
    dependencies = [("city", "0004_map_centre")]

    operations = [
        _json("cityprofile", "name", "name", True),
        _json("cityprofile", "tagline", "tagline", False),
        _json("cityprofile", "privacy_text", "privacy text", False),
        _json("cityprofile", "terms_text", "terms of use", False),
        _json("topic", "name", "name", True),
        _json("topic", "description", "description", False),
        _json("district", "name", "name", True),
        _json("circle", "name", "name", True),
        _json("circle", "description", "description", False),
        migrations.AddField(
            model_name="cityprofile",
            name="network_name_i18n",
            field=models.JSONField(
                default=dict,
                help_text="The name of the network that runs the site, in each language.",
                verbose_name="network's name",
            ),
        ),
        migrations.AddField(
            model_name="cityprofile",
            name="area_word_i18n",
            field=models.JSONField(blank=True, default=dict, verbose_name="the word for its areas"),
        ),
        migrations.AddField(
            model_name="cityprofile",
            name="time_zone",
            field=models.CharField(
                choices=civicnet.city.models.time_zone_choices, default="UTC", max_length=64, verbose_name="time zone"
            ),
        ),
        migrations.AddField(
            model_name="cityprofile",
            name="default_language",
            field=models.CharField(
                blank=True,
                choices=civicnet.city.models.language_choices,
                help_text="For a visitor whose browser asks for none of the city's languages, and for emails.",
                max_length=8,
                verbose_name="default language",
            ),
        ),
        migrations.AddField(
            model_name="cityprofile",
            name="operator_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="who runs the site"),
        ),
        migrations.AddField(
            model_name="cityprofile",
            name="operator_address",
            field=models.CharField(blank=True, max_length=300, verbose_name="postal address of who runs the site"),
        ),
        migrations.AlterField(
            model_name="cityprofile",
            name="languages",
            field=models.JSONField(
                default=list, help_text="In the order the site offers them.", verbose_name="languages"
            ),
        ),
        *[_old_column_nullable(*column) for column in OLD_COLUMNS],
        migrations.RunPython(columns_to_json, json_to_columns),
        # The models forget the old columns; the database drops them in the next release.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name=model_name, name=f"{field}_{code}")
                for model_name, field, code in OLD_COLUMNS
            ]
        ),
        migrations.AlterModelOptions(
            name="district", options={"ordering": ["slug"], "verbose_name": "district", "verbose_name_plural": "districts"}
        ),
    ]
