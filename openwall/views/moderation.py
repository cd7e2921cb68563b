"""Reports, and the organisers' board of top issues."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
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
    per_topic = {}
    for issue in _board_issues().top_per_topic(5):
        per_topic.setdefault(issue.topic, []).append(issue)
    context = {"overall": list(_board_issues().ranked()[:20]), "per_topic": per_topic}
    return render(request, "openwall/board.html", context)


@require_POST
@login_required
@permission_required("openwall.moderate")
def prioritise(request, pk):
    """One click on the board: mark an issue prioritised (followers hear about it)."""
    issue = _issue_for(request, pk)
    services.issue_status_set(issue=issue, by=request.user, status=Issue.Status.PRIORITISED)
    if request.htmx:
        return render(request, "openwall/_board_status.html", {"issue": issue})
    return redirect("openwall:board")
