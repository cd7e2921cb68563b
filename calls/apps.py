from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicnet.phases import Nav, PhaseConfig, Stage


def _every_page(call):
    # Where the calls stand is said on the home page and the wall, a call's title in the stories
    # of its issues (whose links are gone by the time a deleted call's signal runs): calls change
    # rarely, so every stored page goes.
    return ["site"]


def _pages_of_its_call(row):
    return [f"call:{row.call_id}"]


def _calls_pages(issue):
    # A call's page lists its issues' titles (the calls pages share the "calls" scope): no query
    # to find which calls, on a save that happens far more often than a call is read.
    return ["calls"]


class CallsConfig(PhaseConfig):
    """Phase 2: calls for civic projects on the issues citizens prioritised (issue 13).

    Built so far: calls with their criteria, opened from the admin (calls/services.py), their
    public pages, and the reviewer assignment (calls/assignment.py). Proposals and reviews come
    next; until then the call page says that proposals are not taken here yet.
    """

    name = "calls"
    verbose_name = _("Calls for projects")
    phase = 2
    # "Calls", short: on a phone the whole navigation fits on one line.
    nav = (Nav(url_name="calls:list", label=pgettext_lazy("navigation", "Calls"), namespace="calls"),)
    page_cache = {
        "calls.Call": _every_page,
        "calls.ReviewCriterion": _pages_of_its_call,
        "openwall.Issue": _calls_pages,
    }
    demo_after = ("openwall",)

    def stage(self):
        from django.db.models import Min
        from django.urls import reverse
        from django.utils import timezone

        from .models import Call

        # One query, on every page that says where the calls stand: the first opening of the
        # calls not yet closed is in the past when one is open now.
        now = timezone.now()
        first = Call.objects.filter(state=Call.State.OPEN, closes_at__gt=now).aggregate(first=Min("opens_at"))["first"]
        if first is None:
            return Stage()
        if first <= now:
            return Stage(Stage.RUNNING, url=reverse("calls:list"))
        return Stage(Stage.NEXT, date=timezone.localdate(first))

    def ready(self):
        from openwall import story

        from . import notifications

        story.register(
            story.StepKind(
                key="calls.opened",
                label=_("A call for projects answers it"),
                template="calls/story/opened.html",
                notify=notifications.CALL_OPENED.key,
            )
        )

    def seed_demo(self, *, users, stdout):
        from .demo import seed

        seed(users=users, stdout=stdout)
