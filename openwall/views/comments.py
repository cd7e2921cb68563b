"""Comments on an issue: writing, editing, removing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicnet.access import object_or_404
from civicnet.ratelimit import rate_limited

from .. import services
from ..forms import CommentForm
from ..models import Comment
from .issues import _detail_context, _issue_for


@require_POST
@login_required
@rate_limited("comment")
def comment_create(request, pk):
    issue = _issue_for(request, pk, "openwall.comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(issue=issue, pk=form.cleaned_data["parent"]).first()
            if parent is None:
                raise Http404
        official = request.POST.get("official") == "1"
        try:
            comment = services.comment_create(
                author=request.user, issue=issue, body=form.cleaned_data["body"], parent=parent, official=official
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(issue)
        return redirect(f"{issue.get_absolute_url()}#comment-{comment.pk}")
    # The page again, with the text kept and the error next to it.
    return render(request, "openwall/issue_detail.html", _detail_context(request, issue, form), status=400)


@login_required
@rate_limited("comment")
def comment_edit(request, pk):
    comments = Comment.objects.visible_to(request.user).select_related("issue")
    comment = object_or_404(comments, user=request.user, permission="openwall.edit_comment", pk=pk)
    form = CommentForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        services.comment_edit(comment=comment, by=request.user, body=form.cleaned_data["body"])
        return redirect(f"{comment.issue.get_absolute_url()}#comment-{comment.pk}")
    return render(request, "openwall/comment_form.html", {"form": form, "comment": comment})


@require_POST
@login_required
@rate_limited("comment")
def comment_remove(request, pk):
    comment = get_object_or_404(Comment.objects.visible_to(request.user).select_related("issue"), pk=pk)
    services.comment_remove(comment=comment, by=request.user)
    messages.success(request, _("The comment is removed."))
    return redirect(f"{comment.issue.get_absolute_url()}#comment-{comment.pk}")
