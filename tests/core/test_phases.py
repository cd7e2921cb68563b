"""The seam phase apps plug into (civicnet.phases): what the core reads, and the check that
refuses a broken declaration."""

import types

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_celery_beat.models import PeriodicTask as BeatRow

from civicnet import phases
from civicnet.phases import Nav, PeriodicTask, PhaseConfig
from tests.factories import IssueFactory

pytestmark = pytest.mark.django_db


def _phase(label, tmp_path, **declared):
    """A phase app that exists only in this test."""
    module = types.ModuleType(label)
    module.__file__ = str(tmp_path / label / "__init__.py")
    module.__path__ = [str(tmp_path / label)]
    config_class = type(f"{label.title()}Config", (PhaseConfig,), {"name": label, "phase": 9, **declared})
    return config_class(label, module)


def test_the_installed_apps_declare_nothing_broken():
    assert phases.check_phases() == []


def test_a_broken_declaration_fails_the_check(tmp_path):
    broken = _phase(
        "brokenphase",
        tmp_path,
        demo_after=("nosuchapp",),
        nav=(Nav(url_name="brokenphase:index", label="Broken", namespace="brokenphase"),),
        page_cache={"brokenphase.Nothing": lambda row: []},
        periodic_tasks=(PeriodicTask(name="Never", task="brokenphase.no_such_task", every_minutes=5),),
        live_counts={"votes": "brokenphase.livecounts.nothing"},
    )
    errors = phases.check_phases(configs=[*phases.phases(), broken])
    assert sorted(e.id for e in errors) == ["phases.E002", "phases.E003", "phases.E004", "phases.E008", "phases.E010"]
    assert "'nosuchapp'" in next(e.msg for e in errors if e.id == "phases.E002")


def test_demo_seeders_run_after_the_apps_they_name_and_a_cycle_is_refused(tmp_path):
    first = _phase("firstphase", tmp_path, phase=3, demo_after=("secondphase",))
    second = _phase("secondphase", tmp_path, phase=4, demo_after=("openwall",))
    ordered = [c.label for c in phases.demo_order([*phases.phases(), first, second])]
    assert ordered == ["openwall", "calls", "secondphase", "firstphase"]  # calls: phase 2, nothing to wait for
    looping = _phase("loopphase", tmp_path, demo_after=("firstphase",))
    first_looping = _phase("firstphase", tmp_path, phase=3, demo_after=("loopphase",))
    errors = phases.check_phases(configs=[*phases.phases(), looping, first_looping])
    assert [e.id for e in errors] == ["phases.E007"]


def test_navigation_comes_from_the_declarations(client, city):
    assert phases.navigation() == [
        {"label": "Open Wall", "url": "/wall/", "namespace": "openwall"},
        {"label": "Calls", "url": "/calls/", "namespace": "calls"},
    ]
    page = client.get(reverse("openwall:list")).content.decode()
    assert '<a href="/wall/" aria-current="page">Open Wall</a>' in page
    assert '<a href="/calls/" >Calls</a>' in page
    # No phase that is not installed is offered.
    assert "/summit/" not in client.get(reverse("home")).content.decode()


def test_migrate_creates_the_declared_periodic_tasks_once(city):
    BeatRow.objects.filter(name__in=["Weekly digest", "Open Wall trend scores"]).delete()
    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)
    digest = BeatRow.objects.get(name="Weekly digest")
    assert (digest.task, digest.crontab.hour, digest.crontab.day_of_week) == (
        "notifications.send_weekly_digests",
        "8",
        "1",
    )
    assert str(digest.crontab.timezone) == "Europe/Brussels"  # 08:00 in the city's time zone (its pack's)
    trend = BeatRow.objects.get(name="Open Wall trend scores")
    assert (trend.interval.every, trend.interval.period) == (10, "minutes")
    assert BeatRow.objects.filter(name="Queue unsent emails again").count() == 1


def test_organisers_get_the_phase_apps_models():
    from civicnet.accounts.services import organisers_group_sync

    group = organisers_group_sync()
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("openwall", "change_issue") in codenames
    assert ("accounts", "change_user") not in codenames


def test_the_digest_moved_to_the_core_with_peoples_choices_and_its_beat_row(citizen):
    import importlib

    from django.apps import apps
    from django_celery_beat.models import IntervalSchedule

    from civicnet.notifications.models import EmailPreference

    moved = importlib.import_module("civicnet.notifications.migrations.0007_digest_moves_to_the_core")
    EmailPreference.objects.create(user=citizen, kind="openwall.digest", frequency="never")
    BeatRow.objects.filter(name="Weekly digest").delete()
    every, _created = IntervalSchedule.objects.get_or_create(every=7, period="days")
    BeatRow.objects.create(name="Open Wall weekly digest", task="openwall.send_weekly_digests", interval=every)
    moved.forwards(apps, None)
    assert EmailPreference.objects.get(user=citizen).kind == "notifications.digest"
    row = BeatRow.objects.get(task="notifications.send_weekly_digests")
    assert row.name == "Weekly digest"


def test_an_unsubscribe_link_sent_before_the_move_still_works(client, citizen):
    from django.core import signing

    from civicnet.notifications.models import EmailPreference
    from civicnet.notifications.services import UNSUBSCRIBE_SALT

    token = signing.dumps({"u": citizen.pk, "k": "openwall.digest"}, salt=UNSUBSCRIBE_SALT, compress=True)
    client.post(reverse("notifications:unsubscribe", args=[token]))
    assert EmailPreference.objects.get(user=citizen).kind == "notifications.digest"


def test_a_phase_apps_config_is_its_modules_default_without_saying_so(tmp_path, monkeypatch):
    """apps.py imports PhaseConfig too; Django must still pick the app's own class."""
    import sys

    from django.apps import AppConfig

    package = tmp_path / "madeupphase"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "apps.py").write_text(
        "from civicnet.phases import PhaseConfig\n\n\nclass MadeUpConfig(PhaseConfig):\n"
        "    name = 'madeupphase'\n    phase = 3\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    config = AppConfig.create("madeupphase")
    assert type(config).__name__ == "MadeUpConfig"
    assert isinstance(config, PhaseConfig)
    sys.modules.pop("madeupphase.apps", None)
    sys.modules.pop("madeupphase", None)


def test_two_phases_can_both_drop_pages_when_one_model_changes(tmp_path, monkeypatch, city):
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from openwall.models import Issue

    other = _phase("otherphase", tmp_path, page_cache={"openwall.Issue": lambda issue: ["other"]})
    monkeypatch.setattr(phases, "phases", lambda configs=None: [apps.get_app_config("openwall"), other])
    dropped = []
    monkeypatch.setattr("civicnet.pagecache.invalidate", lambda *scopes: dropped.extend(scopes))
    phases.page_cache_connect()
    try:
        IssueFactory()
    finally:
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.disconnect(sender=Issue, dispatch_uid=f"pagecache-otherphase-openwall.Issue-{name}")
    assert "wall" in dropped and "other" in dropped
