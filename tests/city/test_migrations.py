"""Migration city/0005 moves the city's texts from one column per language to JSON, keeps the
old columns (nullable) for the previous release's workers, and keeps what an upgraded instance
showed: its network's name, its word for districts, its time zone."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("city", "0004_map_centre")
AFTER = ("city", "0005_texts_per_language_as_data")
# PostgreSQL, where an instance is upgraded in place while workers run: on SQLite the next
# migration that adds a column remakes the table without the old columns (nothing runs the
# previous release beside an embedded database), so 0005 cannot be reversed there.
pytestmark = pytest.mark.postgres


@pytest.fixture
def old_apps(transactional_db):
    call_command("migrate", *BEFORE, verbosity=0)
    try:
        yield MigrationExecutor(connection).loader.project_state([BEFORE]).apps
    finally:
        call_command("migrate", verbosity=0)


def test_an_upgraded_city_keeps_its_texts_and_what_it_showed(old_apps):
    OldCity, OldTopic = old_apps.get_model("city", "CityProfile"), old_apps.get_model("city", "Topic")
    OldCity.objects.create(
        pk=1, name_fr="Bruxelles", name_nl="Brussel", name_en="Brussels", languages=["fr", "nl", "en"],
        privacy_text_fr="Vie privée", privacy_text_nl="Privacy", privacy_text_en="Privacy", pack="brussels",
    )  # fmt: skip
    OldTopic.objects.create(slug="work", name_fr="Travail", name_nl="Werk", name_en="Work", order=1)

    call_command("migrate", *AFTER, verbosity=0)
    apps = MigrationExecutor(connection).loader.project_state([AFTER]).apps
    CityProfile, Topic = apps.get_model("city", "CityProfile"), apps.get_model("city", "Topic")
    city, topic = CityProfile.objects.get(), Topic.objects.get()
    assert city.name_i18n == {"fr": "Bruxelles", "nl": "Brussel", "en": "Brussels"}
    assert city.tagline_i18n == {}  # empty texts are left out
    assert city.network_name_i18n["nl"] == "Netwerk voor burgerinnovatie"
    assert city.area_word_i18n["fr"] == {"one": "commune", "all": "Toutes les communes"}
    assert (city.time_zone, city.default_language) == ("Europe/Brussels", "en")
    assert topic.name_i18n == {"fr": "Travail", "nl": "Werk", "en": "Work"}
    Topic.objects.create(slug="new", name_i18n={"en": "New"})  # the old columns take a NULL
    with connection.cursor() as cursor:
        cursor.execute("SELECT name_fr, name_en FROM city_topic ORDER BY slug")
        assert cursor.fetchall() == [(None, None), ("Travail", "Work")]  # still there for old workers

    Topic.objects.filter(slug="new").delete()
    call_command("migrate", *BEFORE, verbosity=0)  # and back
    assert list(OldTopic.objects.values_list("name_nl", flat=True)) == ["Werk"]
