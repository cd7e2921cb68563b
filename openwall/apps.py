from django.utils.translation import gettext_lazy as _

from civicnet.phases import Nav, PeriodicTask, PhaseConfig, personal_rows


def _issue_pages(issue):
    return ["wall", f"issue:{issue.pk}"]


def _pages_of_its_issue(row):
    return [f"issue:{row.issue_id}"]


def _wall_and_its_issue(row):
    return ["wall", f"issue:{row.issue_id}"]  # a translation shows on the cards too


def _meetup_seats(registration):
    return ["meetups"]  # the places taken, shown on the home page


def _every_page(meetup):
    return ["site"]  # a meetup's name is on the page of every issue raised there


class OpenWallConfig(PhaseConfig):
    """Phase 1, and the worked example of a phase app (docs/architecture.md)."""

    name = "openwall"
    verbose_name = _("Open Wall")
    phase = 1
    nav = (Nav(url_name="openwall:list", label=_("Open Wall"), namespace="openwall"),)
    # Services that write with update() or bulk deletes (votes, moderation) drop pages themselves.
    page_cache = {
        "openwall.Issue": _issue_pages,
        "openwall.Comment": _pages_of_its_issue,
        "openwall.StoryStep": _pages_of_its_issue,
        "openwall.OfflineTally": _pages_of_its_issue,
        "openwall.IssueTranslation": _wall_and_its_issue,
        "openwall.Meetup": _every_page,
        "openwall.MeetupRegistration": _meetup_seats,
    }
    # A vote moves only a number: cached pages fill it in when served instead of being dropped.
    live_counts = {"votes": "openwall.livecounts.votes"}
    # What is a signed-in person's own on the shared pages (openwall/personal.py).
    personal_parts = {
        "vote": "openwall.personal.VOTE",
        "follow": "openwall.personal.FOLLOW",
        "issue_actions": "openwall.personal.ISSUE_ACTIONS",
        "comment_actions": "openwall.personal.COMMENT_ACTIONS",
    }
    periodic_tasks = (PeriodicTask(name="Open Wall trend scores", task="openwall.refresh_trending", every_minutes=10),)
    digest_sections = ("openwall.digest.SECTION",)
    home = "openwall.home.SECTION"
    profile = "openwall.profile.SECTION"
    network_activity = "openwall.network.activity"

    def stage(self):
        from .home import stage

        return stage()

    def ready(self):
        from django.core import checks

        from . import notifications, story

        # The Open Wall's kinds of story step; later phases register theirs the same way.
        for key, label, notify in (
            ("raised", _("Raised"), None),
            ("status", _("Status changed"), notifications.STATUS_CHANGED.key),
            ("official_answer", _("Official answer"), notifications.OFFICIAL_ANSWER.key),
            ("merged", _("Merged"), None),
            ("paper_votes", _("Paper votes counted at a meetup"), None),
        ):
            story.register(story.StepKind(key=key, label=label, template=f"openwall/story/{key}.html", notify=notify))
        checks.register(story.check_kinds)

    def seed_demo(self, *, users, stdout):
        from .demo import seed

        seed(users=users, stdout=stdout)

    def export_personal_data(self, user):
        from .models import Comment, Flag, Follow, Issue, IssueTranslation, MeetupRegistration, Vote

        rows = personal_rows

        return {
            "issues": rows(
                Issue.objects.filter(author=user), "id", "title", "description", "topic__slug", "status", "created_at"
            ),
            "comments": rows(
                Comment.objects.filter(author=user, removed=False), "id", "issue_id", "body", "created_at"
            ),
            "votes": rows(Vote.objects.filter(user=user), "issue_id", "created_at"),
            "translations": rows(
                IssueTranslation.objects.filter(proposed_by=user),
                "issue_id",
                "language",
                "title",
                "description",
                "created_at",
            ),
            "follows": rows(Follow.objects.filter(user=user), "issue_id", "created_at"),
            "meetup_registrations": rows(MeetupRegistration.objects.filter(user=user), "meetup__title", "created_at"),
            "reports": rows(
                Flag.objects.filter(user=user),
                "issue_id",
                "comment_id",
                "reason",
                "note",
                "created_at",
                "resolved_at",
                "upheld",
            ),
        }

    def erase_personal_data(self, user):
        from .services import votes_erase

        votes_erase(user=user)
