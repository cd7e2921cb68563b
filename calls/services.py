from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openwall.models import Issue
from openwall.services import issue_story_add

from .models import Call

# An issue a call answers moves to "in a call" unless it is already past that.
MOVES_TO_CALL = (Issue.Status.OPEN, Issue.Status.PRIORITISED)


@transaction.atomic
def call_open(*, call: Call, by) -> Call:
    """Open a draft call. Side effects: each issue it answers gets a step in its story (its
    followers are told, after commit) and moves to "in a call" if it was open or prioritised.

    Refused, with a message saying why, unless the call is a draft with at least one issue and
    one criterion and closes in the future.
    """
    locked = Call.objects.select_for_update().get(pk=call.pk)
    problems = []
    if locked.state != Call.State.DRAFT:
        problems.append(
            _("Only a draft call can be opened; this one is %(state)s.") % {"state": locked.get_state_display()}
        )
    if locked.closes_at <= timezone.now():
        problems.append(_("The closing date has passed: move it to the future first."))
    if not locked.issues.public().exists():
        problems.append(_("Link at least one issue of the Open Wall: a call answers what citizens asked for."))
    if not locked.criteria.exists():
        problems.append(_("Add at least one evaluation criterion: proposals are scored on them."))
    if problems:
        raise ValidationError(problems)
    locked.state = Call.State.OPEN
    locked.opened_at = timezone.now()
    locked.save(update_fields=["state", "opened_at", "updated_at"])
    # Only what the public sees: a hidden or merged issue is nobody's call to answer.
    for issue in Issue.objects.public().select_for_update().filter(calls=locked).order_by("pk"):
        old = issue.status
        if old in MOVES_TO_CALL:
            issue.status = Issue.Status.IN_CALL
            issue.save(update_fields=["status", "updated_at"])
        issue_story_add(
            issue=issue,
            kind="calls.opened",
            actor=by,
            target=locked,
            data={"call": locked.title},
            old_status=old if old != issue.status else "",
            new_status=issue.status if old != issue.status else "",
        )
    call.state, call.opened_at = locked.state, locked.opened_at
    return locked
