"""Organisers' and reporters' actions: status, reports, hiding, merging; every one logged."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicnet import pagecache
from civicnet.accounts.services import organisers_notify

from ..models import (
    Comment,
    Flag,
    Follow,
    Issue,
    ModerationAction,
    OfflineTally,
    StoryStep,
    Vote,
)
from ..notifications import REPORTED, REPORTED_HIDDEN
from .issues import issue_story_add, trending_refresh


@transaction.atomic
def issue_status_set(
    *, issue: Issue, by, status: str, note: str = "", close_reason: str = "", notify_after: int = 0
) -> bool:
    """Move an issue to `status` (organisers). Side effects: a story step, followers notified.

    Returns False when the issue already had that status. Closing needs a public reason.
    """
    if status == Issue.Status.CLOSED and not close_reason:
        raise ValidationError(_("Say why the issue is closed."))
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    if locked.status == status:
        return False
    old = locked.status
    locked.status = status
    locked.close_reason = close_reason if status == Issue.Status.CLOSED else ""
    locked.save(update_fields=["status", "close_reason", "updated_at"])
    # The step tells the followers (its kind names STATUS_CHANGED).
    issue_story_add(
        issue=locked,
        kind=StoryStep.Kind.STATUS,
        actor=by,
        old_status=old,
        new_status=status,
        note=note,
        data={"status": status, **({"undoable": True} if notify_after else {})},
        notify_after=notify_after,
    )
    if status == Issue.Status.CLOSED:  # closing is moderation too: it goes in the log, with its reason
        reason = str(Issue.CloseReason(close_reason).label) + (f": {note}" if note else "")
        _log(by=by, action=ModerationAction.Action.CLOSE, issue=locked, reason=reason)
    issue.status = locked.status
    return True


# Prioritising tells every follower: it can be taken back this long, before anyone is told.
PRIORITISE_UNDO_SECONDS = 60


def issue_prioritise(*, issue: Issue, by) -> bool:
    """Mark an issue prioritised from the board; its followers are told PRIORITISE_UNDO_SECONDS
    later unless it is undone meanwhile (issue_prioritise_undo). Returns False if it already was."""
    return issue_status_set(issue=issue, by=by, status=Issue.Status.PRIORITISED, notify_after=PRIORITISE_UNDO_SECONDS)


@transaction.atomic
def issue_prioritise_undo(*, issue: Issue, by) -> None:
    """Take back a prioritisation of the last minute: the issue gets its earlier status back and
    the story step goes, so the followers' task (still waiting) tells nobody."""
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    step = (
        locked.story_steps.select_for_update()
        .filter(
            kind=StoryStep.Kind.STATUS,
            new_status=Issue.Status.PRIORITISED,
            data__undoable=True,  # from the board (the admin's actions tell followers at once)
            # A little less than the followers' countdown, so that an undo never races their task.
            created_at__gte=timezone.now() - timedelta(seconds=PRIORITISE_UNDO_SECONDS - 5),
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    # "told": the followers' task ran already (the broker was down, so it ran at once).
    if locked.status != Issue.Status.PRIORITISED or step is None or step.data.get("told"):
        raise ValidationError(
            _("This can no longer be undone: its followers have been told. Change the status in the admin.")
        )
    locked.status = step.old_status or Issue.Status.OPEN
    locked.save(update_fields=["status", "updated_at"])
    step.delete()
    issue.status = locked.status


def _log(*, by, action: str, issue=None, comment=None, reason: str = "") -> ModerationAction:
    return ModerationAction.objects.create(moderator=by, action=action, issue=issue, comment=comment, reason=reason)


@transaction.atomic
def flag_create(*, user, reason: str, note: str = "", issue: Issue | None = None, comment: Comment | None = None):
    """Flag an issue or a comment once per person. Returns (flag, created).

    Side effects, once the open flags on the target reach settings.OPENWALL_FLAGS_TO_HIDE:
    - the organisers are told (once per target and round of reports);
    - the target is hidden pending review (an automatic, logged moderation action) only if that
      many of the reports come from trusted reporters (see _trusted_reports), and, for an issue,
      only while fewer than settings.OPENWALL_FLAGS_PROTECTED_VOTES people support it: an issue
      many people back waits in the queue for an organiser instead of vanishing.
    """
    target = {"issue": issue} if issue is not None else {"comment": comment}
    try:
        with transaction.atomic():
            flag = Flag.objects.create(user=user, reason=reason, note=note, **target)
    except IntegrityError:
        return Flag.objects.get(user=user, **target), False
    # Reports on one target are counted one at a time, so that exactly one of them reaches the threshold.
    (Issue if issue is not None else Comment).objects.select_for_update().filter(pk=(issue or comment).pk).first()
    threshold = settings.OPENWALL_FLAGS_TO_HIDE
    open_flags = Flag.objects.filter(resolved_at__isnull=True, **target)
    count = open_flags.count()  # counted once: the row lock above keeps it true until commit
    if count < threshold:
        return flag, True
    supported = issue is not None and issue.total_votes >= settings.OPENWALL_FLAGS_PROTECTED_VOTES
    hidden = False
    if not supported and _trusted_reports(open_flags) >= threshold:
        hidden = _moderate(
            by=None,
            action=ModerationAction.Action.AUTO_HIDE,
            hidden=True,
            reason=f"{count} flags",
            resolve=False,
            **target,
        )
    if hidden or count == threshold:
        _organisers_notify_reported(issue=issue, comment=comment, count=count, hidden=hidden)
    return flag, True


def _trusted_reports(open_flags) -> int:
    """How many of these reports come from people whose word hides content by itself: an account
    older than settings.OPENWALL_FLAG_TRUSTED_AFTER_DAYS, or one with a report a moderator upheld.
    Three accounts made this morning can report, but not make an issue disappear."""
    joined_before = timezone.now() - timedelta(days=settings.OPENWALL_FLAG_TRUSTED_AFTER_DAYS)
    upheld_before = Flag.objects.filter(upheld=True).values("user")
    return open_flags.filter(Q(user__date_joined__lte=joined_before) | Q(user__in=upheld_before)).count()


def _organisers_notify_reported(*, issue, comment, count: int, hidden: bool) -> None:
    title = issue.title if issue is not None else comment.issue.title
    organisers_notify(
        kind=(REPORTED_HIDDEN if hidden else REPORTED).key,
        target=issue or comment,
        data={"title": title, "count": count, "outcome": "hidden" if hidden else "waiting"},
        url=reverse("admin:openwall_flag_changelist") + "?state=open",
    )


def _moderate(*, by, action: str, hidden: bool, reason: str, issue=None, comment=None, resolve=True) -> bool:
    """Hide or show, keep comment_count in step, resolve the flags (unless automatic: upheld when
    hidden, dismissed when shown again), and log it. Returns whether the visibility changed."""
    target = {"issue": issue} if issue is not None else {"comment": comment}
    model = Issue if issue is not None else Comment
    changed = model.objects.filter(pk=(issue or comment).pk, hidden=not hidden).update(hidden=hidden)
    if changed:
        pagecache.invalidate(*(["wall", f"issue:{issue.pk}"] if issue is not None else [f"issue:{comment.issue_id}"]))
    if changed and comment is not None and not comment.removed:
        # comment_count counts what readers see: hidden comments leave it, restored ones come back.
        Issue.objects.filter(pk=comment.issue_id).update(
            comment_count=Greatest(F("comment_count") + (-1 if hidden else 1), 0)
        )
    if not changed and by is None:
        return False  # already hidden: nothing to log
    if resolve:
        Flag.objects.filter(resolved_at__isnull=True, **target).update(resolved_at=timezone.now(), upheld=hidden)
    _log(by=by, action=action, reason=reason, **target)
    return bool(changed)


@transaction.atomic
def moderation_hide(*, by, reason: str, issue: Issue | None = None, comment: Comment | None = None) -> None:
    """Hide from the public (organisers still see it) and resolve its flags; logged with who and why."""
    if not reason.strip():
        raise ValidationError(_("Say why it is hidden."))
    _moderate(by=by, action=ModerationAction.Action.HIDE, hidden=True, reason=reason, issue=issue, comment=comment)


@transaction.atomic
def moderation_restore(*, by, reason: str = "", issue: Issue | None = None, comment: Comment | None = None) -> None:
    """Show it again and dismiss its flags; logged."""
    _moderate(by=by, action=ModerationAction.Action.RESTORE, hidden=False, reason=reason, issue=issue, comment=comment)


@transaction.atomic
def issue_merge(*, duplicate: Issue, into: Issue, by) -> Issue:
    """Fold a duplicate into another issue.

    Votes, follows, comments and meetup tallies move over; someone who voted for both keeps one
    vote; a meetup that tallied both adds the two counts; every counter of both issues is
    recounted. The duplicate is closed as a duplicate and its page redirects. Both timelines
    and the moderation log record it. Both rows are locked first, and the target is checked
    again under the lock (two opposite merges at once cannot make a loop).
    """
    if duplicate.pk == into.pk:
        raise ValidationError(_("Choose another issue to merge into."))
    locked = {i.pk: i for i in Issue.objects.select_for_update().filter(pk__in=[duplicate.pk, into.pk])}
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if into.merged_into_id or into.hidden or into.status == Issue.Status.CLOSED:
        raise ValidationError(_("Choose another issue to merge into: that one is closed, hidden or merged."))
    if duplicate.merged_into_id:
        raise ValidationError(_("This issue was already merged."))
    Vote.objects.filter(issue=duplicate, user__in=Vote.objects.filter(issue=into).values("user")).delete()
    Vote.objects.filter(issue=duplicate).update(issue=into)
    Follow.objects.filter(issue=duplicate, user__in=Follow.objects.filter(issue=into).values("user")).delete()
    Follow.objects.filter(issue=duplicate).update(issue=into)
    Comment.objects.filter(issue=duplicate).update(issue=into)
    for tally in OfflineTally.objects.filter(issue=duplicate):
        kept = OfflineTally.objects.filter(issue=into, meetup_id=tally.meetup_id).first()
        if kept:
            kept.votes += tally.votes
            kept.save(update_fields=["votes"])
            tally.delete()
        else:
            OfflineTally.objects.filter(pk=tally.pk).update(issue=into)
    for issue in (into, duplicate):
        _recount(issue)
    old_status = duplicate.status
    duplicate.merged_into = into
    duplicate.status, duplicate.close_reason = Issue.Status.CLOSED, Issue.CloseReason.DUPLICATE
    duplicate.save(update_fields=["merged_into", "status", "close_reason", "updated_at"])
    issue_story_add(issue=into, kind=StoryStep.Kind.MERGED, actor=by, note=duplicate.title, target=duplicate)
    issue_story_add(  # the duplicate's last step; its followers moved over already
        issue=duplicate,
        target=into,
        kind=StoryStep.Kind.STATUS,
        actor=by,
        old_status=old_status,
        new_status=Issue.Status.CLOSED,
        note=into.title,
        data={"status": Issue.Status.CLOSED},
    )
    _log(by=by, action=ModerationAction.Action.MERGE, issue=duplicate, reason=f"→ #{into.pk} {into.title}")
    trending_refresh()
    into.refresh_from_db()
    return into


def _recount(issue: Issue) -> None:
    """Set an issue's counters from its rows (after a merge moved them)."""
    Issue.objects.filter(pk=issue.pk).update(
        vote_count=Vote.objects.filter(issue=issue).count(),
        offline_vote_count=OfflineTally.objects.filter(issue=issue).aggregate(total=Sum("votes"))["total"] or 0,
        comment_count=Comment.objects.filter(issue=issue, removed=False, hidden=False).count(),
    )
    pagecache.live_changed("votes", issue.pk)
