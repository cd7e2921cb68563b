"""The kinds of step in an issue's public story, registered by the app that owns each kind.

An issue's story runs across every phase: raised on the wall, answered by the organisers, put in a
call, matched, met at the summit, built. Each app registers the kinds of step it adds, with a
translated label (the admin shows it) and a partial template (the issue page renders each step
with it), and says which notification, if any, its followers get. Steps are added only through
`openwall.services.issue_story_add`; no app writes the table itself.

A later app registers its kinds in its AppConfig.ready():

    story.register(StepKind(key="calls.opened", label=_("A call for projects answers it"),
                            template="calls/story/opened.html", notify=CALL_OPENED.key))

The template gets `step` (with `step.target`, the object it points at, loaded for all the steps at
once, None if it was deleted; and `step.data`) and `issue`. Keep in `data` only what the page may
show to anyone: it stays with the step (a person's name belongs in `notify_data`).
"""

from dataclasses import dataclass

from django.core import checks
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.functional import Promise

KEY_MAX = 32  # StoryStep.kind's length


@dataclass(frozen=True)
class StepKind:
    key: str  # "<app label>.<what>" for later apps; the Open Wall's own keep their short names
    label: Promise
    template: str
    notify: str | None = None  # the notification kind followers get for a step of this kind
    # False: shown to organisers only (a step about something not public yet, a private review).
    public: bool = True


_kinds: dict[str, StepKind] = {}
UNKNOWN = "openwall/story/_unknown.html"


def register(kind: StepKind) -> StepKind:
    existing = _kinds.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"Story step kind {kind.key!r} is registered twice with different settings.")
    _kinds[kind.key] = kind
    return kind


def get(key: str) -> StepKind | None:
    return _kinds.get(key)


def all_kinds() -> list[StepKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.key)


def template_of(key: str) -> str:
    kind = _kinds.get(key)
    return kind.template if kind else UNKNOWN


def check_kinds(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A system check: every registered kind's template exists and its notification is registered."""
    from civicnet.notifications import kinds as notification_kinds

    errors = []
    known = {kind.key for kind in notification_kinds.all_kinds()}
    for kind in all_kinds():
        if len(kind.key) > KEY_MAX:
            errors.append(
                checks.Error(f"story step {kind.key!r}: keys are at most {KEY_MAX} characters.", id="openwall.E103")
            )
        try:
            get_template(kind.template)
        except TemplateDoesNotExist:
            errors.append(checks.Error(f"story step {kind.key!r}: no template {kind.template!r}.", id="openwall.E101"))
        if kind.notify and kind.notify not in known:
            errors.append(
                checks.Error(f"story step {kind.key!r}: unknown notification kind {kind.notify!r}.", id="openwall.E102")
            )
    return errors
