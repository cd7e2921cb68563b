"""How a phase app plugs into the core: one declaration, on its AppConfig, that the core reads.

A phase app (openwall, calls, matchmaking, summit, followup) makes its AppConfig a `PhaseConfig`
and fills in what it adds. The core never imports a phase app or names its models: it asks
`phases()` and reads the declarations. `check_phases` (a Django system check) fails on a broken
declaration. docs/architecture.md shows the Open Wall as the worked example.

What a phase declares:
- `phase`: its place in the cycle (1 = Open Wall … 5 = follow-up); the order of everything below.
- `nav`: entries of the main navigation (`Nav`).
- `demo_after` and `seed_demo(users=, stdout=)`: its demo data, after the apps it names.
- `export_personal_data(user)` / `erase_personal_data(user)`: a person's rows in its own tables.
- `organiser_models`: whether organisers get every permission on its models (default: yes).
- `page_cache`: which models each cached page shows: {"app.Model": function(instance) -> scopes};
  a save or delete of such a row drops those pages (civicnet/pagecache.py).
- `live_counts`: numbers a cached page fills in when it is served, so a page is not thrown away
  when only they move: {"name": "dotted.path"} to a function of a list of primary keys returning
  {pk: number}; a template marks a number `<span data-live="name:pk">…</span>` (civicnet/pagecache.py).
- `personal_parts`: kinds of `{% personal %}` block its templates use, so that signed-in visitors
  get stored pages too: {"name": "dotted.path"} to a `civicnet.personal.Kind` (civicnet/personal.py).
- `periodic_tasks`: Celery beat rows (`PeriodicTask`), created by `migrate`.
- `digest_sections`: dotted paths to its sections of the weekly digest email
  (civicnet.notifications.digest.DigestSection); people are offered the digest once one exists.
- `stage()`: where the phase stands, said on the home page from its data (`Stage`: running now
  with a link, next with a date when there is one, not started yet).
- `home`: a dotted path to its part of the home page (`HomeSection`: a template and its context,
  the first screen's buttons, the stored-page scopes it depends on).
- `profile`: a dotted path to its part of a person's profile page (`ProfileSection`).

Notification kinds stay registered where they are defined (civicnet.notifications.kinds), which
the core reads the same way.
"""

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import AppConfig, apps
from django.core import checks
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Nav:
    url_name: str  # reversed without arguments
    label: Promise
    namespace: str  # the entry is marked as the current page on every page of this URL namespace


@dataclass(frozen=True)
class PeriodicTask:
    name: str  # its row's name in the admin (existing rows are kept as superusers changed them)
    task: str  # the Celery task's registered name
    every_minutes: int | None = None
    crontab: dict = field(default_factory=dict)  # minute, hour, day_of_week… in the city's time zone


@dataclass(frozen=True)
class Stage:
    """Where a phase of the cycle stands, as the home page says it: running now (`url` leads
    there), next (`date` when one is known), or not started yet. Said from the data, never
    promised: a phase whose app is not installed has not started."""

    RUNNING = "running"
    NEXT = "next"
    NOT_STARTED = "not_started"

    state: str = NOT_STARTED
    url: str = ""
    date: datetime.date | None = None


@dataclass(frozen=True)
class HomeSection:
    """A phase's part of the home page: `template`, rendered with `context(request)`; `lead` and
    `actions`, a sentence and buttons of the first screen (what a visitor can do here); `scopes`, the stored pages it
    depends on besides "site" (civicnet/pagecache.py), so that a change shows on the home page."""

    template: str
    context: Callable[..., dict]
    lead: Promise | str = ""
    actions: tuple[Nav, ...] = ()
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProfileSection:
    """A phase's part of a person's profile page: `template`, rendered with `context(user)`
    (what the person did in that phase, each thing linking to its page)."""

    template: str
    context: Callable[..., dict]


class PhaseConfig(AppConfig):
    """The base of a phase app's AppConfig. Each subclass is its module's default config: the
    module also names PhaseConfig, and Django would otherwise fall back, silently, to a plain
    AppConfig, and the app would be no phase at all (no navigation, no erasure)."""

    phase: int = 0
    nav: tuple[Nav, ...] = ()
    demo_after: tuple[str, ...] = ()
    organiser_models: bool = True
    page_cache: dict[str, Callable] = {}
    live_counts: dict[str, str] = {}
    personal_parts: dict[str, str] = {}
    periodic_tasks: tuple[PeriodicTask, ...] = ()
    digest_sections: tuple[str, ...] = ()
    home: str = ""
    profile: str = ""
    # A callable(organisations) -> {organisation id: [sentence, ...]}: what each organisation
    # does in this phase, for the network page ("hosted 12 meetups").
    network_activity: str = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.default = True

    def stage(self) -> Stage:
        """Where this phase stands now (the home page's cycle); read from the phase's data."""
        return Stage()

    def seed_demo(self, *, users: dict, stdout) -> None:
        """Add this app's demo data; `users` maps role names (citizen, innovator…) to users."""

    def export_personal_data(self, user) -> dict:
        """The person's rows in this app's tables, as JSON-ready data."""
        return {}

    def erase_personal_data(self, user) -> None:
        """Remove or anonymise the person's rows here, keeping every counter right. Runs before
        the user row is deleted, in the same transaction."""


def phases(configs=None) -> list[PhaseConfig]:
    """The installed phase apps, in the order of the cycle."""
    configs = apps.get_app_configs() if configs is None else configs
    return sorted((c for c in configs if isinstance(c, PhaseConfig)), key=lambda c: (c.phase, c.label))


def demo_order(configs=None) -> list[PhaseConfig]:
    """Phase apps in an order where each seeds after the apps it names in `demo_after`.
    Raises ValueError on a missing app or a cycle (the system check reports the same)."""
    pending = {config.label: config for config in phases(configs)}
    ordered, done = [], set()
    while pending:
        ready = [c for c in pending.values() if all(after in done for after in c.demo_after)]
        if not ready:
            missing = {a for c in pending.values() for a in c.demo_after if a not in pending and a not in done}
            if missing:
                raise ValueError(f"demo_after names apps that are not installed: {sorted(missing)}")
            raise ValueError(f"demo_after makes a cycle among {sorted(pending)}")
        for config in ready:
            ordered.append(config)
            done.add(config.label)
            del pending[config.label]
    return ordered


def demo_seed(*, users: dict, stdout) -> None:
    for config in demo_order():
        config.seed_demo(users=users, stdout=stdout)


def personal_rows(queryset, *fields) -> list[dict]:
    """`queryset`'s `fields` as JSON-ready rows (dates as ISO text): for export_personal_data."""
    return [
        {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in row.items()}
        for row in queryset.values(*fields)
    ]


def personal_data_export(user) -> dict:
    return {config.label: config.export_personal_data(user) for config in phases()}


def personal_data_erase(user) -> None:
    # The last phase first: later phases point at earlier ones' rows.
    for config in reversed(phases()):
        config.erase_personal_data(user)


def organiser_app_labels() -> list[str]:
    return [config.label for config in phases() if config.organiser_models]


def digest_available() -> bool:
    return any(config.digest_sections for config in phases())


def navigation() -> list[dict]:
    """The main navigation's phase entries: label, address and namespace, in the cycle's order."""
    return [
        {"label": entry.label, "url": reverse(entry.url_name), "namespace": entry.namespace}
        for config in phases()
        for entry in config.nav
    ]


@functools.cache
def home_sections() -> tuple[HomeSection, ...]:
    """The phases' parts of the home page, in the cycle's order (read once: three lookups a visit)."""
    return tuple(import_string(config.home) for config in phases() if config.home)


def home_actions() -> list[Nav]:
    """What a visitor can do first, from every phase's home section: the home page's buttons."""
    return [action for section in home_sections() for action in section.actions]


@functools.cache
def profile_sections() -> tuple[ProfileSection, ...]:
    """The phases' parts of the profile page, in the cycle's order."""
    return tuple(import_string(config.profile) for config in phases() if config.profile)


@functools.cache
def network_activity_sources() -> tuple[Callable, ...]:
    return tuple(import_string(config.network_activity) for config in phases() if config.network_activity)


def network_activity(organisations) -> dict[int, list[str]]:
    """What each organisation does on the platform, every phase's sentences in the cycle's order."""
    activity: dict[int, list[str]] = {}
    for source in network_activity_sources():
        for organisation_id, sentences in source(organisations).items():
            activity.setdefault(organisation_id, []).extend(sentences)
    return activity


def home_scopes() -> list[str]:
    return [scope for section in home_sections() for scope in section.scopes]


def stages() -> dict[int, Stage]:
    """Where each installed phase stands, by its number in the cycle."""
    return {config.phase: config.stage() for config in phases()}


def stage_of(number: int) -> Stage:
    """Where phase `number` stands; not started when no installed app is that phase."""
    return next((config.stage() for config in phases() if config.phase == number), Stage())


def context_processor(request) -> dict:
    return {"phase_nav": navigation()}


LIVE_NAME = re.compile(r"^[a-z][a-z_]*$")


@functools.cache
def live_sources() -> dict[str, Callable]:
    """Every phase's live counts, by name: what civicnet.pagecache fills in when serving a page."""
    return {name: import_string(path) for config in phases() for name, path in config.live_counts.items()}


def page_cache_connect() -> None:
    """Drop the cached pages that show a row when it is saved or deleted, as each phase declares."""
    from django.db.models.signals import post_delete, post_save

    from civicnet import pagecache

    for config in phases():
        for label, scopes_of in config.page_cache.items():
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError):
                continue  # the system check reports it (phases.E004)

            def changed(sender, instance, _scopes_of=scopes_of, **kwargs):
                pagecache.invalidate(*_scopes_of(instance))

            for name, signal in (("save", post_save), ("delete", post_delete)):
                uid = f"pagecache-{config.label}-{label}-{name}"  # two phases may both show one model
                signal.connect(changed, sender=model, weak=False, dispatch_uid=uid)


def periodic_tasks_sync(**kwargs) -> None:
    """After each migrate: a beat row for every declared periodic task that has none yet."""
    from django.conf import settings
    from django.db import DatabaseError, transaction
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule
    from django_celery_beat.models import PeriodicTask as Row

    from civicnet.city.models import CityProfile

    try:
        with transaction.atomic():  # a savepoint: a failed query leaves any outer transaction usable
            zone = CityProfile.objects.filter(pk=1).values_list("time_zone", flat=True).first()
    except DatabaseError:  # a database migrated back to before the city had a time zone
        zone = None

    for declared in _declared_periodic_tasks():
        if Row.objects.filter(name=declared.name).exists():
            continue
        if declared.every_minutes:
            every, _created = IntervalSchedule.objects.get_or_create(
                every=declared.every_minutes, period=IntervalSchedule.MINUTES
            )
            Row.objects.create(name=declared.name, task=declared.task, interval=every)
        else:
            values = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
            schedule, _created = CrontabSchedule.objects.get_or_create(
                **values | declared.crontab, timezone=zone or settings.TIME_ZONE
            )
            Row.objects.create(name=declared.name, task=declared.task, crontab=schedule)


# The core's own periodic work (civicnet.notifications), declared the same way.
CORE_PERIODIC_TASKS = (
    PeriodicTask(name="Queue unsent emails again", task="notifications.requeue_unsent_emails", every_minutes=5),
    # Monday at 08:00, city time; superusers can change it in the admin.
    PeriodicTask(
        name="Weekly digest",
        task="notifications.send_weekly_digests",
        crontab={"minute": "0", "hour": "8", "day_of_week": "1"},
    ),
)


def _declared_periodic_tasks(configs=None):
    yield from CORE_PERIODIC_TASKS
    for config in phases(configs):
        yield from config.periodic_tasks


def _check_task_names(configs) -> list[checks.CheckMessage]:
    import importlib

    from civicnet.celery import app as celery_app

    for config in [*phases(configs), apps.get_app_config("notifications")]:
        module = f"{config.name}.tasks"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name not in (module, config.name):
                raise  # a tasks module that exists but imports something missing
            # an app without a tasks module declares no task of its own
    return [
        checks.Error(
            f"periodic task {declared.name!r} names an unknown Celery task {declared.task!r}.", id="phases.E008"
        )
        for declared in _declared_periodic_tasks(configs)
        if declared.task not in celery_app.tasks
    ]


def check_phases(app_configs=None, configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A system check: every phase app's declaration must make sense."""
    errors = []
    installed = phases(configs)
    labels = {c.label for c in installed}
    for config in installed:
        if not config.phase:
            errors.append(checks.Error(f"{config.label}: a PhaseConfig needs its `phase` number.", id="phases.E001"))
        for after in config.demo_after:
            if after not in labels:
                errors.append(
                    checks.Error(
                        f"{config.label}: demo_after names {after!r}, which is not an installed phase app.",
                        id="phases.E002",
                    )
                )
        for entry in config.nav:
            try:
                reverse(entry.url_name)
            except NoReverseMatch:
                errors.append(
                    checks.Error(f"{config.label}: nav entry {entry.url_name!r} does not resolve.", id="phases.E003")
                )
        for label, scopes_of in config.page_cache.items():
            try:
                apps.get_model(label)
            except (LookupError, ValueError):
                errors.append(
                    checks.Error(f"{config.label}: page_cache names an unknown model {label!r}.", id="phases.E004")
                )
            if not callable(scopes_of):
                errors.append(
                    checks.Error(
                        f"{config.label}: page_cache[{label!r}] must be a function of the row.", id="phases.E005"
                    )
                )
        for name, path in config.live_counts.items():
            try:
                source = import_string(path)
            except ImportError:
                source = None
            if not LIVE_NAME.match(name) or not callable(source):
                errors.append(
                    checks.Error(
                        f"{config.label}: live count {name!r} must be a lower-case name and {path!r} "
                        "an importable function.",
                        id="phases.E010",
                    )
                )
        for name, path in config.personal_parts.items():
            from civicnet.personal import Kind

            try:
                kind = import_string(path)
            except ImportError:
                kind = None
            if not isinstance(kind, Kind) or kind.name != name or not kind.variants:
                errors.append(
                    checks.Error(
                        f"{config.label}: personal part {name!r} must name a civicnet.personal.Kind "
                        f"called {name!r} with variants; {path!r} is not one.",
                        id="phases.E011",
                    )
                )
        if config.home:
            try:
                section = import_string(config.home)
            except ImportError:
                section = None
            if not isinstance(section, HomeSection) or not callable(section.context):
                errors.append(
                    checks.Error(
                        f"{config.label}: home {config.home!r} must name a civicnet.phases.HomeSection.",
                        id="phases.E012",
                    )
                )
        if config.profile:
            try:
                section = import_string(config.profile)
            except ImportError:
                section = None
            if not isinstance(section, ProfileSection) or not callable(section.context):
                errors.append(
                    checks.Error(
                        f"{config.label}: profile {config.profile!r} must name a civicnet.phases.ProfileSection.",
                        id="phases.E013",
                    )
                )
        if config.network_activity:
            try:
                source = import_string(config.network_activity)
            except ImportError:
                source = None
            if not callable(source):
                errors.append(
                    checks.Error(
                        f"{config.label}: network_activity {config.network_activity!r} must name a callable.",
                        id="phases.E014",
                    )
                )
        for path in config.digest_sections:
            try:
                import_string(path)
            except ImportError:
                errors.append(
                    checks.Error(f"{config.label}: digest section {path!r} cannot be imported.", id="phases.E009")
                )
        for declared in config.periodic_tasks:
            if bool(declared.every_minutes) == bool(declared.crontab):
                errors.append(
                    checks.Error(
                        f"{config.label}: periodic task {declared.name!r} needs either every_minutes or a crontab.",
                        id="phases.E006",
                    )
                )
    errors += _check_task_names(configs)
    if not any(e.id == "phases.E002" for e in errors):
        try:
            demo_order(configs)
        except ValueError as exc:
            errors.append(checks.Error(f"demo seeders: {exc}", id="phases.E007"))
    return errors
