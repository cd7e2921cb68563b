"""Reports, and the organisers' board of top issues."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicnet.access import permission_required
from civicnet.ratelimit import rate_limited

from .. import services
from ..forms import FlagForm
from ..models import Comment, Issue
from .issues import _issue_for


@login_required
@rate_limited("flag")
def flag(request, pk=None, comment_pk=None):
    """Report an issue or a comment to the moderators."""
    if comment_pk is not None:
        comment = get_object_or_404(Comment.objects.visible_to(request.user).select_related("issue"), pk=comment_pk)
        target, issue = {"comment": comment}, comment.issue
    else:
        issue = _issue_for(request, pk)
        target = {"issue": issue}
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _flag, created = services.flag_create(user=request.user, **form.cleaned_data, **target)
        messages.success(
            request,
            _("Thank you. The moderators will look at it.") if created else _("You have already reported this."),
        )
        return redirect(issue)
    context = {"form": form, "issue": issue, "flags_to_hide": settings.OPENWALL_FLAGS_TO_HIDE, **target}
    return render(request, "openwall/flag_form.html", context)


def _board_issues():
    return Issue.objects.public().filter(status__in=[Issue.Status.OPEN, Issue.Status.PRIORITISED]).with_related()


@login_required
@permission_required("openwall.moderate")
def board(request):
    """The organisers' top issues, overall and per theme: what calls for projects are built from."""
    return _board(request)


def _board(request, notice: str = "", error: str = ""):
    """The board; after a change made with htmx, the whole board again (an issue can be listed
    twice, overall and under its theme) with the change's outcome said inside it."""
    per_topic = {}
    for issue in _board_issues().top_per_topic(5):
        per_topic.setdefault(issue.topic, []).append(issue)
    context = {
        "overall": list(_board_issues().ranked()[:20]),
        "per_topic": per_topic,
        # An issue prioritised since then offers Undo (the service checks the minute exactly).
        "undo_since": timezone.now() - timedelta(seconds=services.PRIORITISE_UNDO_SECONDS),
        "notice": notice,
        "error": error,
    }
    return render(request, "openwall/board.html", context)


def _answer(request, *, notice: str = "", error: str = ""):
    if request.htmx:
        return _board(request, notice=notice, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect("openwall:board")


@require_POST
@login_required
@permission_required("openwall.moderate")
@rate_limited("moderate")
def prioritise(request, pk):
    """Mark an issue prioritised from the board, after a confirmation; followers hear about it a
    minute later unless it is undone."""
    issue = _issue_for(request, pk)
    if issue.status != Issue.Status.OPEN or issue.hidden or issue.merged_into_id:
        return _answer(request, error=_("Only an open issue on the board can be prioritised here."))
    services.issue_prioritise(issue=issue, by=request.user)
    told = _("“%(title)s” is prioritised. Its followers will be told in a minute.")
    return _answer(request, notice=told % {"title": issue.title})


@require_POST
@login_required
@permission_required("openwall.moderate")
@rate_limited("moderate")
def prioritise_undo(request, pk):
    """Take a prioritisation back within the minute (nobody has been told yet)."""
    issue = _issue_for(request, pk)
    try:
        services.issue_prioritise_undo(issue=issue, by=request.user)
    except ValidationError as exc:
        return _answer(request, error=exc.messages[0])
    undone = _("Undone: “%(title)s” is back to “%(status)s”.")
    return _answer(request, notice=undone % {"title": issue.title, "status": issue.get_status_display()})
