"""The seam phase apps plug into (civicnet.phases): what the core reads, and the check that
refuses a broken declaration."""

import types

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_celery_beat.models import PeriodicTask as BeatRow

from civicnet import phases
from civicnet.phases import Nav, PeriodicTask, PhaseConfig

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
    )
    errors = phases.check_phases(configs=[*phases.phases(), broken])
    assert sorted(e.id for e in errors) == ["phases.E002", "phases.E003", "phases.E004", "phases.E008"]
    assert "'nosuchapp'" in next(e.msg for e in errors if e.id == "phases.E002")


def test_demo_seeders_run_after_the_apps_they_name_and_a_cycle_is_refused(tmp_path):
    first = _phase("firstphase", tmp_path, phase=3, demo_after=("secondphase",))
    second = _phase("secondphase", tmp_path, phase=4, demo_after=("openwall",))
    ordered = [c.label for c in phases.demo_order([*phases.phases(), first, second])]
    assert ordered == ["openwall", "secondphase", "firstphase"]
    looping = _phase("loopphase", tmp_path, demo_after=("firstphase",))
    first_looping = _phase("firstphase", tmp_path, phase=3, demo_after=("loopphase",))
    errors = phases.check_phases(configs=[*phases.phases(), looping, first_looping])
    assert [e.id for e in errors] == ["phases.E007"]


def test_navigation_comes_from_the_declarations(client, city):
    assert phases.navigation() == [{"label": "Open Wall", "url": "/wall/", "namespace": "openwall"}]
    page = client.get(reverse("openwall:list")).content.decode()
    assert '<a href="/wall/" aria-current="page">Open Wall</a>' in page
    # No phase that is not installed is offered.
    assert "/calls/" not in client.get(reverse("home")).content.decode()


def test_migrate_creates_the_declared_periodic_tasks_once():
    BeatRow.objects.filter(name__in=["Open Wall weekly digest", "Open Wall trend scores"]).delete()
    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)
    digest = BeatRow.objects.get(name="Open Wall weekly digest")
    assert (digest.task, digest.crontab.hour, digest.crontab.day_of_week) == ("openwall.send_weekly_digests", "8", "1")
    assert str(digest.crontab.timezone) == "Europe/Brussels"
    trend = BeatRow.objects.get(name="Open Wall trend scores")
    assert (trend.interval.every, trend.interval.period) == (10, "minutes")
    assert BeatRow.objects.filter(name="Queue unsent emails again").count() == 1


def test_organisers_get_the_phase_apps_models():
    from civicnet.accounts.services import organisers_group_sync

    group = organisers_group_sync()
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("openwall", "change_issue") in codenames
    assert ("accounts", "change_user") not in codenames
