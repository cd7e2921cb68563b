"""Comments and replies: writing, editing, removing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from civicnet.markdown import markdown_render
from civicnet.notifications.services import notify

from ..models import (
    Comment,
    Issue,
    StoryStep,
)
from ..notifications import REPLY
from .issues import _open_for_discussion, follow_ensure, issue_story_add


@transaction.atomic
def comment_create(*, author, issue: Issue, body: str, parent: Comment | None = None, official: bool = False):
    """Comment (or reply, one level deep). Side effects: counter, follow, notifications.

    An official answer (organisers only) goes on the issue's timeline and reaches every follower;
    a reply reaches the author of the comment it answers.
    """
    if parent is not None:
        if parent.issue_id != issue.pk or parent.removed:
            raise ValidationError(_("You can only reply to a visible comment of this issue."))
        parent = parent.parent or parent  # replies stay one level deep
    if official and not author.has_perm("openwall.answer_officially"):
        raise PermissionDenied
    if not _open_for_discussion(issue).update(comment_count=F("comment_count") + 1):
        raise ValidationError(_("This issue no longer takes comments."))
    comment = Comment.objects.create(
        issue=issue, parent=parent, author=author, body=body, body_html=markdown_render(body), official=official
    )
    follow_ensure(user=author, issue=issue)
    data = {"issue": issue.title, "user": author.public_name}
    if official:  # the step tells every follower (its kind names OFFICIAL_ANSWER)
        issue_story_add(
            issue=issue,
            kind=StoryStep.Kind.OFFICIAL_ANSWER,
            actor=author,
            comment=comment,
            notify_data={"user": data["user"]},  # for the notification; the step itself keeps no name
        )
    elif parent is not None and parent.author and parent.author_id != author.pk:
        notify(
            recipient=parent.author,
            kind=REPLY.key,
            actor=author,
            target=issue,
            data=data,
            url=issue.get_absolute_url() + f"#comment-{comment.pk}",
            email_context={"issue": issue, "kind": REPLY.key, "data": data},
        )
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, by, body: str) -> Comment:
    if not by.has_perm("openwall.edit_comment", comment):
        raise PermissionDenied(_("This comment can no longer be edited."))
    comment.body, comment.body_html, comment.edited_at = body, markdown_render(body), timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


@transaction.atomic
def comment_remove(*, comment: Comment, by) -> Comment:
    """Remove the text; the place stays ('comment removed') so replies keep their context."""
    if not by.has_perm("openwall.remove_comment", comment):
        raise PermissionDenied
    if not comment.hidden:  # a hidden comment was already taken off the count
        Issue.objects.filter(pk=comment.issue_id).update(comment_count=Greatest(F("comment_count") - 1, 0))
    comment.removed, comment.body, comment.body_html = True, "", ""
    comment.save(update_fields=["removed", "body", "body_html"])
    return comment
