"""The Open Wall's part of the home page (civicnet.phases.HomeSection): what a visitor can do, the
issues people support this week, the next meetups, a few figures, the themes."""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicnet.city.models import Topic, active_language
from civicnet.phases import HomeSection, Nav, Stage

from .models import Comment, Issue, IssueTranslation, Meetup, Vote

TOP_OF_THE_WEEK = 5
NEXT_MEETUPS = 3
# The figures are counted over every issue and vote: kept ten minutes (the page says so). The
# week's top issues follow new issues and edits at once; a vote moves their order (trend score)
# within the page cache's minute, as on the wall.
FIGURES_KEY, FIGURES_SECONDS = "openwall:home-figures", 600


def count_figures() -> dict[str, int]:
    """Issues raised (public), votes (online and at meetups), meetups held, and people taking part
    (who raised, voted or commented)."""
    totals = Issue.objects.public().aggregate(
        issues=Count("id"), votes=Sum(F("vote_count") + F("offline_vote_count"), default=0)
    )
    user, public = OuterRef("pk"), Issue.objects.public()
    people = get_user_model().objects.filter(
        Exists(public.filter(author=user))
        | Exists(Vote.objects.filter(user=user, issue__in=public))
        | Exists(Comment.objects.filter(author=user, removed=False, hidden=False, issue__in=public))
    )
    return {**totals, "meetups": Meetup.objects.published().past().count(), "people": people.count()}


def context(request) -> dict:
    top = list(Issue.objects.open_for_discussion().for_cards().filter(trend_score__gt=0).trending()[:TOP_OF_THE_WEEK])
    IssueTranslation.objects.give_cards(top, active_language())
    meetups = Meetup.objects.published().upcoming().select_related("host", "district")
    return {
        "top": top,
        "voted": Vote.objects.issue_ids_voted_by(request.user, [issue.pk for issue in top]),
        "meetups": meetups.annotate(seats_taken=Count("registrations"))[:NEXT_MEETUPS],
        "figures": cache.get_or_set(FIGURES_KEY, count_figures, FIGURES_SECONDS),
        "topics": Topic.objects.active(),
    }


def stage() -> Stage:
    return Stage(Stage.RUNNING, url=reverse("openwall:list"))


SECTION = HomeSection(
    template="openwall/_home.html",
    context=context,
    lead=_("Name a problem of your city, see what others raised, and vote for the ones that matter to you."),
    actions=(
        Nav(url_name="openwall:issue_create", label=_("Raise an issue"), namespace="openwall"),
        Nav(url_name="openwall:list", label=_("See what others raised"), namespace="openwall"),
    ),
    scopes=("wall", "meetups"),
)
