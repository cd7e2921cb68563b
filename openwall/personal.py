"""The Open Wall's personal parts of shared pages (civicnet.personal): votes, follows, own issues and comments."""

from civicnet.personal import Kind, Member

from . import rules
from .models import Follow, Vote


def _voted(request, keys: list[str]) -> dict[str, str]:
    """One query for the whole page: which of its issues this person votes for."""
    voted = Vote.objects.issue_ids_voted_by(request.user, [int(key) for key in keys])
    return {str(pk): "voted" for pk in voted}


# The first variant is what a person sees unless `choose` says otherwise.
VOTE = Kind(name="vote", variants={"not_voted": {"voted": False}, "voted": {"voted": True}}, choose=_voted)


def _following(request, keys: list[str]) -> dict[str, str]:
    followed = Follow.objects.filter(user=request.user, issue_id__in=[int(key) for key in keys])
    return {str(pk): "following" for pk in followed.values_list("issue_id", flat=True)}


def _as_author(request, keys: list[str]) -> dict[str, str]:
    """Blocks keyed by their author's id: the person's own ones show the author's actions. No query."""
    return {str(request.user.pk): "author"}


def _issue_as_its_author(context) -> dict:
    issue = context["issue"]
    # As the rule says (openwall.edit_issue); the shell may keep it a minute after it turned false.
    return {"user": Member(pk=issue.author_id), "can_edit": rules.issue_still_editable.test(None, issue)}


FOLLOW = Kind(
    name="follow",
    variants={"not_following": {"following": False}, "following": {"following": True}},
    choose=_following,
)
# An issue's actions (edit or report), keyed by its author: "Edit" while the author still may
# (the edit view checks again), "Report" for everyone else.
ISSUE_ACTIONS = Kind(
    name="issue_actions", variants={"other": {"can_edit": False}, "author": _issue_as_its_author}, choose=_as_author
)
# A comment's actions (edit and remove, or report), keyed by its author.
COMMENT_ACTIONS = Kind(
    name="comment_actions",
    variants={"other": {}, "author": lambda context: {"user": Member(pk=context["comment"].author_id)}},
    choose=_as_author,
)
