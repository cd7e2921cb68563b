"""Who may do what on the Open Wall."""

from datetime import timedelta

import rules
from django.utils import timezone

from civicnet.accounts.rules import has_verified_email, is_organiser

ISSUE_EDIT_WINDOW = timedelta(minutes=30)
COMMENT_EDIT_WINDOW = timedelta(minutes=15)


@rules.predicate
def is_issue_author(user, issue):
    return user.is_authenticated and issue.author_id == user.pk


@rules.predicate
def issue_still_editable(user, issue):
    """Thirty minutes, and only until the first vote: nobody's vote may end up on a changed text."""
    return issue.vote_count == 0 and timezone.now() - issue.created_at < ISSUE_EDIT_WINDOW


@rules.predicate
def is_comment_author(user, comment):
    return user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def comment_still_editable(user, comment):
    return not comment.removed and timezone.now() - comment.created_at < COMMENT_EDIT_WINDOW


@rules.predicate
def comment_removed(user, comment):
    return comment.removed


@rules.predicate
def issue_is_open_for_discussion(user, issue):
    return issue.is_open_for_discussion


@rules.predicate
def is_meetup_host_member(user, meetup):
    return meetup.host.role_of(user) is not None


rules.add_perm("openwall.raise_issue", has_verified_email)
rules.add_perm("openwall.facilitate_meetup", is_organiser | is_meetup_host_member)
rules.add_perm("openwall.edit_issue", is_issue_author & issue_still_editable)
rules.add_perm("openwall.vote", has_verified_email & issue_is_open_for_discussion)
rules.add_perm("openwall.comment", has_verified_email & issue_is_open_for_discussion)
rules.add_perm("openwall.follow", rules.is_authenticated)
rules.add_perm("openwall.edit_comment", is_comment_author & comment_still_editable)
rules.add_perm("openwall.remove_comment", (is_comment_author & ~comment_removed) | is_organiser)
rules.add_perm("openwall.answer_officially", is_organiser)
rules.add_perm("openwall.moderate", is_organiser)
# Anyone signed in with a verified address may propose a translation; its author or an organiser accepts it.
rules.add_perm("openwall.translate", has_verified_email & issue_is_open_for_discussion)
rules.add_perm("openwall.accept_translation", is_issue_author | is_organiser)
# Published without review: an organiser's, or the author's while the text itself may still change
# (after the first vote, an author's own "translation" must not rewrite what people voted for).
rules.add_perm("openwall.publish_translation", is_organiser | (is_issue_author & issue_still_editable))
