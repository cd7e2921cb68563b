from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicnet.phases import Nav, PhaseConfig, Stage, personal_rows


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

    Calls with their criteria and questions, opened from the admin (calls/services.py); their
    public pages; proposals written, submitted, versioned and withdrawn by civic innovators'
    teams, with private PDF attachments; reviewers assigned by an optimiser
    (calls/assignment.py), their reviews, the organisers' ranking (calls/ranking.py); decisions
    staged and applied, their emails held in an outbox, accepted projects published.
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
    digest_sections = ("calls.digest.SECTION",)

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
        story.register(
            story.StepKind(
                key="calls.accepted",
                label=_("A project is accepted for it"),
                template="calls/story/accepted.html",
                notify=notifications.PROJECT_ACCEPTED.key,
            )
        )

    def export_personal_data(self, user):
        # Proposals are their organisation's: a person's part is what they started, submitted
        # and attached (on erasure those links are emptied by the foreign keys, the work stays).
        from .models import Proposal, ProposalAttachment, ProposalVersion

        rows = personal_rows

        return {
            "proposals_started": rows(
                Proposal.objects.filter(created_by=user), "id", "call_id", "organisation__name", "title", "created_at"
            ),
            "proposal_versions_submitted": rows(
                ProposalVersion.objects.filter(submitted_by=user), "proposal_id", "number", "submitted_at"
            ),
            "proposal_files_attached": rows(
                ProposalAttachment.objects.filter(uploaded_by=user), "proposal_id", "name", "size", "created_at"
            ),
        }

    def seed_demo(self, *, users, stdout):
        from .demo import seed

        seed(users=users, stdout=stdout)
